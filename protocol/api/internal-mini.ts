// The zod/mini twin of `internal.ts`, for the edge: classic zod (which the origin's OpenAPI routes
// need) would add ~450 KB to the worker, and zod-to-openapi cannot read mini schemas. The two are
// held to the same JSON Schema by `internal.test.ts`, so they cannot drift apart.
import * as z from 'zod/mini';
import { PRIVACY_LEVELS, VIDEO_STATES } from '../video-enums.js';

/** What the origin answers to `GET /internal/v1/videos/:id/access`. */
export const VideoAccessPolicyMiniSchema = z.object({
  id: z.uuid(),
  privacy: z.enum(PRIVACY_LEVELS),
  ownerId: z.uuid(),
  /** The owner's account is suspended: the edge issues playback to nobody but admins. */
  ownerSuspended: z.boolean(),
  /** The video's playback revocation epoch (latest revocation `seq`, 0 when none). */
  revocation: z.int().check(z.minimum(0)),
  state: z.enum(VIDEO_STATES),
  /** Present once something is playable; every key is relative to `videos/<id>/`. */
  assets: z.nullable(
    z.object({
      version: z.int(),
      master: z.string(),
      thumbnail: z.optional(z.string()),
      storyboardVtt: z.optional(z.string()),
    }),
  ),
  /** Present while the video is on air; `version` is the live session's start (Unix ms). */
  live: z.nullable(z.object({ version: z.int() })),
});

/** What the origin answers to `POST /internal/v1/videos/:id/password-check`. */
export const PasswordCheckResultMiniSchema = z.object({ ok: z.boolean() });

/** What the origin answers to `GET /internal/v1/revocations?after=<seq>`. */
export const RevocationFeedMiniSchema = z.object({
  revocations: z.array(
    z.object({
      videoId: z.uuid(),
      seq: z.int().check(z.minimum(1)),
      revokedAt: z.string(),
      reason: z.string(),
    }),
  ),
  more: z.boolean(),
});
