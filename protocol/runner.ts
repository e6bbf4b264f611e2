import { z } from 'zod';

/**
 * The remote-runner protocol between origin and transcoders (PeerTube's shape): register ->
 * request (long-poll) -> accept -> progress (heartbeat) -> upload files -> preview? -> complete |
 * fail | release. Every call after register carries `Authorization: Bearer <runnerToken>`.
 */
export const JOB_KINDS = { transcode: 'transcode' } as const;
export type JobKind = (typeof JOB_KINDS)[keyof typeof JOB_KINDS];

export const RegisterRunnerInputSchema = z.object({
  registrationToken: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(100),
});
export const RegisteredRunnerSchema = z.object({ runnerId: z.string().uuid(), runnerToken: z.string() });

export const JobOfferSchema = z.object({
  jobs: z.array(z.object({ id: z.string().uuid(), kind: z.string() })),
});

export const AcceptedJobSchema = z.object({
  id: z.string().uuid(),
  kind: z.string(),
  videoId: z.string().uuid(),
  attempt: z.number().int().min(1),
  leaseSeconds: z.number().int().positive(),
  /** Path on the origin to download the source from (same auth). */
  sourceUrl: z.string(),
  /** Path prefix on the origin to PUT output files under: `<filesUrl><relative path>`. */
  filesUrl: z.string(),
});
export type AcceptedJob = z.infer<typeof AcceptedJobSchema>;

export const ProgressInputSchema = z.object({ progress: z.number().min(0).max(100) });

/** Output paths are relative, '/'-separated, without `..`: they become storage keys. */
export const OutputPathSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9]+)*(\/[A-Za-z0-9_-]+(\.[A-Za-z0-9]+)*)*$/, 'Not a safe relative path');

export const RenditionOutputSchema = z.object({
  name: z.string().min(1).max(40),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  bitrate: z.number().int().positive(),
  codecs: z.string().max(100).optional(),
  playlist: OutputPathSchema,
});

export const PublishInputSchema = z.object({
  durationSeconds: z.number().nonnegative(),
  master: OutputPathSchema,
  renditions: z.array(RenditionOutputSchema).min(1),
  thumbnail: OutputPathSchema.optional(),
  storyboard: z.object({ image: OutputPathSchema, vtt: OutputPathSchema }).optional(),
});
export type PublishInput = z.infer<typeof PublishInputSchema>;

export const FailInputSchema = z.object({
  reason: z.string().min(1).max(500).describe('Shown to the uploader when the job gives up'),
  retryable: z.boolean(),
});
export type FailInput = z.infer<typeof FailInputSchema>;

/** What complete/preview answer: `duplicate` when a late or repeated call changed nothing. */
export const PublishOutcomeSchema = z.object({ outcome: z.enum(['published', 'duplicate']) });
