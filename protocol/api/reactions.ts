import { z } from 'zod';
import { VIDEO_RATINGS } from '../social-enums.js';

export { VIDEO_RATINGS };
export const VideoRatingValueSchema = z.enum(VIDEO_RATINGS);
export type VideoRatingValue = z.infer<typeof VideoRatingValueSchema>;

/** `PUT /api/v1/videos/:id/rate`. */
export const RateVideoInputSchema = z.object({ rating: VideoRatingValueSchema });
export type RateVideoInput = z.infer<typeof RateVideoInputSchema>;

/** `GET /api/v1/users/me/videos/:id/rating`, PeerTube's `{ videoId, rating }`. */
export const VideoRatingSchema = z
  .object({ videoId: z.string().uuid(), rating: VideoRatingValueSchema })
  .meta({ id: 'VideoRating' });
export type VideoRatingDto = z.infer<typeof VideoRatingSchema>;
