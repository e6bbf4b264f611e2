import { z } from 'zod';
import { LiveStreamHealthSchema } from '../live.js';
import { isBlankLooking } from '../text.js';
import { PrivacySchema, RenditionSchema, VideoStateSchema } from '../video.js';
import { CommentsPolicyInputSchema, CommentsPolicySchema } from './comments.js';

const TitleSchema = z
  .string()
  .trim()
  .min(1, 'Enter a title')
  .max(200)
  .refine((title) => title === '' || !isBlankLooking(title), 'Enter a title with visible characters');
const DescriptionSchema = z.string().max(10_000);
/** PeerTube's limits: up to 5 tags of 2 to 30 characters; duplicates (any case) are dropped. */
export const TagsSchema = z
  .array(z.string().trim().min(2, 'Use 2 to 30 characters per tag').max(30, 'Use 2 to 30 characters per tag'))
  .max(5, 'Use at most 5 tags')
  .transform((tags) =>
    tags.filter((tag, i) => tags.findIndex((t) => t.toLowerCase() === tag.toLowerCase()) === i),
  );
const VideoPasswordSchema = z.string().min(4, 'Use at least 4 characters').max(200);

const needsPassword = (v: { privacy?: string | undefined; password?: string | undefined }) =>
  v.privacy !== 'password' || Boolean(v.password);

export const CreateVideoInputSchema = z
  .object({
    channelId: z.string().uuid('Send the id of one of your channels'),
    title: TitleSchema,
    description: DescriptionSchema.default(''),
    privacy: PrivacySchema.default('public'),
    password: VideoPasswordSchema.optional(),
    tags: TagsSchema.default([]),
  })
  .refine(needsPassword, { path: ['password'], message: 'A password video needs a password' });
export type CreateVideoInput = z.input<typeof CreateVideoInputSchema>;

export const UpdateVideoInputSchema = z
  .object({
    title: TitleSchema,
    description: DescriptionSchema,
    privacy: PrivacySchema,
    password: VideoPasswordSchema,
    commentsPolicy: CommentsPolicyInputSchema.describe(
      '1 or enabled, 2 or disabled, 3 or approval (comments held for your approval)',
    ),
    tags: TagsSchema,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change');
export type UpdateVideoInput = z.infer<typeof UpdateVideoInputSchema>;

export const ListVideosQuerySchema = z.object({
  channelId: z.string().uuid().optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListVideosQuery = z.input<typeof ListVideosQuerySchema>;

/** What a `ready` video is still doing in the background. */
export const VideoProcessingSchema = z
  .object({
    stage: z
      .enum(['ladder', 'failed'])
      .describe(
        'ladder: playable from its fast-first-play rendition while the full ladder encodes; failed: the ladder gave up (see error), the video still plays from what was published',
      ),
    progress: z.number().int().min(0).max(100),
    error: z.string().optional().describe('Why the ladder failed; present when stage is failed'),
  })
  .meta({ id: 'VideoProcessing' });
export type VideoProcessing = z.infer<typeof VideoProcessingSchema>;

/** A transcode that failed at least once and is retrying, or gave up: what the owner reads. */
export const VideoRetriesSchema = z
  .object({
    attempt: z.number().int().min(0).describe('Attempts used so far'),
    maxAttempts: z.number().int().min(1),
    nextAttemptAt: z
      .string()
      .datetime()
      .nullable()
      .describe('When the next attempt may start; null while one runs, or once it gave up'),
    failures: z
      .array(z.object({ attempt: z.number().int().min(0), reason: z.string(), at: z.string().datetime() }))
      .describe('Why each failed attempt failed, oldest first'),
  })
  .meta({ id: 'VideoRetries' });
export type VideoRetries = z.infer<typeof VideoRetriesSchema>;

export const VideoSchema = z
  .object({
    id: z.string().uuid(),
    channel: z.object({ id: z.string().uuid(), handle: z.string(), displayName: z.string() }),
    title: z.string(),
    description: z.string(),
    privacy: PrivacySchema,
    commentsPolicy: CommentsPolicySchema.describe('1 enabled, 2 disabled, 3 requires approval'),
    state: VideoStateSchema.describe(
      'live: on air now; ended: a live that stopped (its recording, if any, queues it as a replay)',
    ),
    progress: z.number().int().min(0).max(100),
    error: z.string().optional().describe('Why the video failed; present when state is failed'),
    durationSeconds: z.number().nullable(),
    renditions: z.array(RenditionSchema).optional().describe('Present when state is ready'),
    live: z
      .object({
        viewers: z.number().int().min(0).describe('Viewers whose player sent a heartbeat in the last 30 s'),
        health: LiveStreamHealthSchema.nullable().describe(
          'null until the live transcoder measured the source',
        ),
      })
      .optional()
      .describe('Present while state is live'),
    processing: VideoProcessingSchema.optional().describe(
      'Present while a ready video still encodes more renditions; absent once the ladder landed',
    ),
    retries: VideoRetriesSchema.optional().describe(
      'Present while its processing retries after a failed attempt, or once it gave up; absent once it succeeded',
    ),
    likes: z.number().int().min(0),
    dislikes: z.number().int().min(0),
    tags: z.array(z.string()),
    views: z.number().int().min(0).describe('Views counted so far (flushed every few seconds)'),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .meta({ id: 'Video' });
export type VideoDto = z.infer<typeof VideoSchema>;

export const UploadTargetSchema = z.object({
  protocol: z.literal('tus'),
  url: z.string().describe('tus creation endpoint'),
  metadata: z.object({ videoId: z.string().uuid() }).describe('Send as tus Upload-Metadata'),
});

export const CreatedVideoSchema = z.object({ video: VideoSchema, upload: UploadTargetSchema });

export const VideoPageSchema = z.object({
  items: z.array(VideoSchema),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null at the end'),
});
export type VideoPage = z.infer<typeof VideoPageSchema>;
