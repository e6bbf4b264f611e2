import { z } from 'zod';
import { LiveJobPayloadSchema } from './live.js';

/**
 * The remote-runner protocol between origin and transcoders (PeerTube's shape): register ->
 * request (long-poll) -> accept -> progress (heartbeat) -> upload files -> preview? -> complete |
 * fail | release. Every call after register carries `Authorization: Bearer <runnerToken>`.
 */

/**
 * What a job does. Each kind has its own payload, lease length and runner handler; a runner asks
 * only for the kinds it can run. Only `transcode` is queued today; the others are reserved so the
 * protocol, the queue and the dispatch tables already have a place for them.
 */
export const JOB_KINDS = {
  /** Encode an uploaded source into the HLS ladder (fast first play first when possible). */
  transcode: 'transcode',
  /** Package a live stream's ladder as LL-HLS while it is on air. */
  live: 'live',
  /** Turn a finished live stream into a VOD. */
  recording: 'recording',
  /** Remove the stored files of a deleted or replaced video. */
  cleanup: 'cleanup',
  /** Deliver one ActivityPub activity to one remote inbox. */
  deliver: 'deliver',
} as const;
export type JobKind = (typeof JOB_KINDS)[keyof typeof JOB_KINDS];
export const JobKindSchema = z.enum(JOB_KINDS);

/** Where a job is in its life (the `job_state` enum of the database). */
export const JOB_STATES = {
  pending: 'pending',
  leased: 'leased',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;
export type JobState = (typeof JOB_STATES)[keyof typeof JOB_STATES];

/**
 * What the origin keeps in a job's `payload`, per kind; checked before a job is queued. The video
 * a job belongs to is a column of its own, so most kinds need nothing more yet.
 */
export const JOB_PAYLOADS = {
  transcode: z.object({}).strict(),
  live: LiveJobPayloadSchema,
  recording: z.object({}).strict(),
  cleanup: z.object({}).strict(),
  deliver: z.object({
    inbox: z.string().url(),
    activity: z.record(z.string(), z.unknown()),
  }),
} satisfies Record<JobKind, z.ZodType>;
export type JobPayload<K extends JobKind> = z.infer<(typeof JOB_PAYLOADS)[K]>;

export const RegisterRunnerInputSchema = z.object({
  registrationToken: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(100),
});
export const RegisteredRunnerSchema = z.object({ runnerId: z.string().uuid(), runnerToken: z.string() });

/** Body of `POST /api/v1/runners/jobs/request`: the kinds this runner has handlers for. */
export const JobRequestInputSchema = z.object({
  kinds: z.array(JobKindSchema).min(1).max(20),
});
export type JobRequestInput = z.infer<typeof JobRequestInputSchema>;

export const JobOfferSchema = z.object({
  jobs: z.array(z.object({ id: z.string().uuid(), kind: JobKindSchema })),
});
export type JobOffer = z.infer<typeof JobOfferSchema>['jobs'][number];

/**
 * What every accepted job carries, whatever its kind. A runner reads this much first, so a job of
 * a kind it does not know can still be failed by id instead of being left to time out.
 */
const envelopeShape = {
  id: z.string().uuid(),
  attempt: z.number().int().min(1),
  /** Heartbeat well within this, or the job goes back on the queue. */
  leaseSeconds: z.number().positive(),
};
export const AcceptedJobEnvelopeSchema = z.looseObject({ ...envelopeShape, kind: z.string() });
export type AcceptedJobEnvelope = z.infer<typeof AcceptedJobEnvelopeSchema>;

const envelope = z.object(envelopeShape);
const ofVideo = { videoId: z.string().uuid() };
/** Path prefix on the origin to PUT output files under: `<filesUrl><relative path>`. */
const filesUrl = z.string();

/** The accepted-job message: what a runner gets on accept, one shape per kind. */
export const AcceptedJobSchemas = {
  transcode: envelope.extend({
    kind: z.literal(JOB_KINDS.transcode),
    ...ofVideo,
    /** Path on the origin to download the source from (same auth). */
    sourceUrl: z.string(),
    filesUrl,
  }),
  live: envelope.extend({
    kind: z.literal(JOB_KINDS.live),
    ...ofVideo,
    filesUrl,
    ...LiveJobPayloadSchema.shape,
    /**
     * A re-leased (or restarted) job continues the stream: the msn of its first segment, one past
     * the highest the origin has seen for this video. Part and segment names are immutable (the
     * edge caches them so), so an attempt never starts again at 1. Absent: nothing was published yet.
     */
    firstMediaSequence: z.number().int().min(1).optional(),
    /** With `firstMediaSequence`: the generation of the first init segment (one past the highest seen). */
    firstInitGeneration: z.number().int().min(0).optional(),
  }),
  recording: envelope.extend({ kind: z.literal(JOB_KINDS.recording), ...ofVideo, filesUrl }),
  cleanup: envelope.extend({ kind: z.literal(JOB_KINDS.cleanup), ...ofVideo }),
  deliver: envelope.extend({ kind: z.literal(JOB_KINDS.deliver), ...JOB_PAYLOADS.deliver.shape }),
} satisfies { [K in JobKind]: z.ZodObject<{ kind: z.ZodLiteral<K> }> };

export const AcceptedJobSchema = z.discriminatedUnion('kind', [
  AcceptedJobSchemas.transcode,
  AcceptedJobSchemas.live,
  AcceptedJobSchemas.recording,
  AcceptedJobSchemas.cleanup,
  AcceptedJobSchemas.deliver,
]);
export type AcceptedJob = z.infer<typeof AcceptedJobSchema>;
export type AcceptedJobOf<K extends JobKind> = Extract<AcceptedJob, { kind: K }>;

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
