import { z } from 'zod';
import { PageQuerySchema, pageOf } from './list.js';
import { VideoSchema } from './videos.js';

/** `POST /api/v1/videos/:id/views`, PeerTube's body: where playback is, and why it was reported. */
export const AddViewInputSchema = z.object({
  currentTime: z.number().min(0).max(1e7).optional().describe('Playback position in seconds'),
  viewEvent: z.enum(['seek', 'watch']).optional(),
});
export type AddViewInput = z.infer<typeof AddViewInputSchema>;

/** A history item: the video as `/api/v1/videos` serves it, plus where the user stopped. */
export const HistoryVideoSchema = VideoSchema.extend({
  userHistory: z.object({ currentTime: z.number() }),
  watchedAt: z.string().datetime(),
}).meta({ id: 'HistoryVideo' });
export type HistoryVideoDto = z.infer<typeof HistoryVideoSchema>;

export const HistoryQuerySchema = PageQuerySchema;

/** `GET /api/v1/users/me/history/videos`: last watched first; `videosHistoryEnabled` is ours. */
export const HistoryPageSchema = pageOf(HistoryVideoSchema).extend({
  videosHistoryEnabled: z.boolean().describe('False while the user paused their history'),
});
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

/** `PUT /api/v1/users/me`: the one PeerTube setting Vidra takes there so far. */
export const UpdateMeInputSchema = z.object({ videosHistoryEnabled: z.boolean() });
export type UpdateMeInput = z.infer<typeof UpdateMeInputSchema>;
