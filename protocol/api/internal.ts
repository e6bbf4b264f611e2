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
});
export type VideoAccessPolicy = z.infer<typeof VideoAccessPolicySchema>;

export const PasswordCheckInputSchema = z.object({
  password: z.string().min(1).max(200),
  ip: z.string().max(100),
});
export const PasswordCheckResultSchema = z.object({ ok: z.boolean() });
