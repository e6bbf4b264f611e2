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
});

/** What the origin answers to `POST /internal/v1/videos/:id/password-check`. */
export const PasswordCheckResultMiniSchema = z.object({ ok: z.boolean() });
