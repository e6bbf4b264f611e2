import { z } from 'zod';
import { PrivacySchema, VideoStateSchema } from '../video.js';

/**
 * Contracts of the origin's internal API, which only the edge calls (with the shared
 * `INTERNAL_API_TOKEN`). The edge never exposes `/internal/*` to clients.
 */
export const VideoAccessPolicySchema = z.object({
  id: z.string().uuid(),
  privacy: PrivacySchema,
  ownerId: z.string().uuid(),
  /** The owner's account is suspended: the edge issues playback to nobody but admins. */
  ownerSuspended: z.boolean(),
  /**
   * The video's playback revocation epoch: the `seq` of its latest revocation (0 when none). The
   * edge writes it into every token it mints (`rv`) and refuses tokens of an older epoch.
   */
  revocation: z.number().int().min(0),
  state: VideoStateSchema,
  /** Present once something is playable; keys are relative to the video (protocol/media.ts). */
  assets: z
    .object({
      version: z.number().int(),
      master: z.string(),
      thumbnail: z.string().optional(),
      storyboardVtt: z.string().optional(),
    })
    .nullable(),
  /**
   * Present while the video is on air (`state: 'live'`): the edge then issues a live URL, whose
   * files it reads through `GET /internal/v1/live/:videoId/hls/<path>` (protocol/live.ts).
   * `version` is the live session's start (Unix ms): the token version of a live video.
   */
  live: z.object({ version: z.number().int() }).nullable(),
});
export type VideoAccessPolicy = z.infer<typeof VideoAccessPolicySchema>;

export const PasswordCheckInputSchema = z.object({
  password: z.string().min(1).max(200),
  ip: z.string().max(100),
});
export const PasswordCheckResultSchema = z.object({ ok: z.boolean() });

/** One entry of `GET /internal/v1/revocations`: tokens of `videoId` with `rv < seq` are dead. */
export const RevocationSchema = z.object({
  videoId: z.string().uuid(),
  seq: z.number().int().min(1),
  revokedAt: z.string(),
  reason: z.string(),
});
export const RevocationFeedSchema = z.object({
  revocations: z.array(RevocationSchema),
  /** More rows follow: ask again with `after` = the last `seq`. */
  more: z.boolean(),
});
export type RevocationFeed = z.infer<typeof RevocationFeedSchema>;
