import { z } from 'zod';
import { LiveStreamHealthSchema } from '../live.js';
import { isBlankLooking } from '../text.js';
import { PrivacySchema, RenditionSchema, VideoStateSchema } from '../video.js';
import { CommentsPolicyInputSchema, CommentsPolicySchema } from './comments.js';
import { PageQuerySchema, pageOf, queryBoolean } from './list.js';
import { AvatarSchema } from './peertube.js';

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

/**
 * PeerTube's sorts of video lists (`-trending` is views in the last days; Vidra counts all views).
 * `best` is PeerTube's default home algorithm (the Grayjay plugin's default home sort); Vidra
 * ranks it like `-hot`.
 */
export const VIDEO_SORTS = [
  '-publishedAt',
  'publishedAt',
  '-createdAt',
  'createdAt',
  '-views',
  '-likes',
  '-trending',
  '-hot',
  'best',
  'name',
  '-name',
] as const;

export const ListVideosQuerySchema = PageQuerySchema.extend({
  channelId: z.string().uuid().optional(),
  sort: z.enum(VIDEO_SORTS).default('-publishedAt'),
  isLocal: queryBoolean().describe(
    'true: this instance only (every video is local until federation fetches remote ones); false: remote only',
  ),
  isLive: queryBoolean().describe('true: videos on air only; false: no video on air'),
  limit: z.coerce.number().int().min(1).max(100).optional().describe('Alias of count, for Vidra clients'),
});
export type ListVideosQuery = z.input<typeof ListVideosQuerySchema>;
export type ListVideosQueryOutput = z.output<typeof ListVideosQuerySchema>;

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

/** Vidra's own fields of the video JSON (wave 1, with PeerTube's privacy). */
const VideoCoreSchema = z.object({
  id: z.string().uuid(),
  channel: z.object({ id: z.string().uuid(), handle: z.string(), displayName: z.string() }),
  title: z.string(),
  description: z.string(),
  privacy: z
    .object({ id: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]), label: z.string() })
    .describe('PeerTube numbers: 1 public, 2 unlisted (or password), 3 private, 4 internal'),
  privacyName: PrivacySchema.describe("Vidra's own privacy level"),
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
});

const LabelledUnknownSchema = z.object({ id: z.null(), label: z.string() });

/**
 * The video JSON: Vidra's fields plus PeerTube's (`packages/models` Video and VideoDetails, the
 * fields NewPipe and Grayjay read), docs/adr/0022-peertube-read-api.md. `id` stays the UUID
 * (also `uuid`) and `state` stays Vidra's name; both are the ADR's recorded exceptions.
 */
export const VideoSchema = VideoCoreSchema.extend({
  uuid: z.string().uuid(),
  shortUUID: z
    .string()
    .describe(
      'The UUID again: Vidra has no short ids, and clients accept the UUID wherever PeerTube takes one',
    ),
  url: z.string().describe('The watch page, /videos/watch/<uuid>'),
  name: z.string().describe('PeerTube name of title'),
  category: LabelledUnknownSchema,
  licence: LabelledUnknownSchema,
  language: LabelledUnknownSchema,
  nsfw: z.boolean(),
  truncatedDescription: z.string(),
  isLocal: z.boolean(),
  duration: z.number().int().min(0).describe('Whole seconds (0 until known)'),
  aspectRatio: z.number().nullable(),
  viewers: z.number().int().min(0),
  thumbnailPath: z.string(),
  previewPath: z.string(),
  embedPath: z.string(),
  publishedAt: z.string().datetime(),
  originallyPublishedAt: z.string().datetime().nullable(),
  isLive: z.boolean(),
  account: z.object({
    id: z.string().uuid(),
    name: z.string(),
    host: z.string(),
    displayName: z.string(),
    url: z.string(),
    avatars: z.array(AvatarSchema),
  }),
  channel: z.object({
    id: z.string().uuid(),
    handle: z.string(),
    displayName: z.string(),
    name: z.string(),
    host: z.string(),
    url: z.string(),
    avatars: z.array(AvatarSchema),
  }),
  support: z.string().nullable(),
  commentsEnabled: z.boolean(),
  downloadEnabled: z.boolean(),
  waitTranscoding: z.boolean(),
  blacklisted: z.boolean(),
  trackerUrls: z.array(z.string()),
  files: z.array(z.unknown()).describe('Web videos: none, Vidra publishes HLS only'),
  streamingPlaylists: z
    .array(
      z.object({
        id: z.number().int(),
        type: z.literal(1),
        playlistUrl: z.string(),
        segmentsSha256Url: z.string().nullable(),
        redundancies: z.array(z.object({ baseUrl: z.string() })),
        files: z.array(
          z.object({
            id: z.number().int(),
            resolution: z.object({ id: z.number().int(), label: z.string() }),
            width: z.number().int(),
            height: z.number().int(),
            size: z.number().int(),
            fps: z.number(),
            fileUrl: z.string(),
            fileDownloadUrl: z.string(),
            torrentUrl: z.string(),
            torrentDownloadUrl: z.string(),
            magnetUri: z.string(),
            metadataUrl: z.string(),
          }),
        ),
      }),
    )
    .describe('Filled in by the edge, with signed URLs, for public and unlisted videos that are ready'),
}).meta({ id: 'Video' });
export type VideoDto = z.infer<typeof VideoSchema>;

export const UploadTargetSchema = z.object({
  protocol: z.literal('tus'),
  url: z.string().describe('tus creation endpoint'),
  metadata: z.object({ videoId: z.string().uuid() }).describe('Send as tus Upload-Metadata'),
});

export const CreatedVideoSchema = z.object({ video: VideoSchema, upload: UploadTargetSchema });

/** `{ total, data, nextCursor }` of videos (ADR 15's list envelope). */
export const VideoPageSchema = pageOf(VideoSchema);
export type VideoPage = z.infer<typeof VideoPageSchema>;
