// The zod/mini twin of the response schemas in `videos.ts` (and `RenditionSchema` of `video.ts`)
// that the edge's pages read. Classic zod would add ~450 KB to the worker, and the origin's OpenAPI
// routes cannot read mini schemas; `videos.test.ts` holds each twin to the JSON Schema of its
// original, ids and descriptions included, so they cannot drift (docs/adr/0007-zod-mini-twins.md).
import * as z from 'zod/mini';
import { PRIVACY_LEVELS, VIDEO_STATES } from '../video-enums.js';
import { LiveStreamHealthMiniSchema } from './live-mini.js';

const RenditionMiniSchema = z.object({
  width: z.int().check(z.positive()),
  height: z.int().check(z.positive()),
  bitrate: z.int().check(z.positive(), z.describe('Peak video+audio bitrate in bits per second')),
  codecs: z.optional(z.string()),
});

/** Twin of `VideoProcessingSchema`. */
export const VideoProcessingMiniSchema = z
  .object({
    stage: z
      .enum(['ladder', 'failed'])
      .check(
        z.describe(
          'ladder: playable from its fast-first-play rendition while the full ladder encodes; failed: the ladder gave up (see error), the video still plays from what was published',
        ),
      ),
    progress: z.int().check(z.minimum(0), z.maximum(100)),
    error: z.optional(z.string().check(z.describe('Why the ladder failed; present when stage is failed'))),
  })
  .check(z.meta({ id: 'VideoProcessing' }));

/** Twin of `VideoRetriesSchema`. */
export const VideoRetriesMiniSchema = z
  .object({
    attempt: z.int().check(z.minimum(0), z.describe('Attempts used so far')),
    maxAttempts: z.int().check(z.minimum(1)),
    nextAttemptAt: z
      .nullable(z.iso.datetime())
      .check(z.describe('When the next attempt may start; null while one runs, or once it gave up')),
    failures: z
      .array(z.object({ attempt: z.int().check(z.minimum(0)), reason: z.string(), at: z.iso.datetime() }))
      .check(z.describe('Why each failed attempt failed, oldest first')),
  })
  .check(z.meta({ id: 'VideoRetries' }));

/** Twin of `VideoCoreSchema`. */
const VideoCoreMiniSchema = z.object({
  id: z.uuid(),
  channel: z.object({ id: z.uuid(), handle: z.string(), displayName: z.string() }),
  title: z.string(),
  description: z.string(),
  privacy: z
    .object({ id: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]), label: z.string() })
    .check(z.describe('PeerTube numbers: 1 public, 2 unlisted (or password), 3 private, 4 internal')),
  privacyName: z.enum(PRIVACY_LEVELS).check(z.describe("Vidra's own privacy level")),
  commentsPolicy: z
    .object({ id: z.union([z.literal(1), z.literal(2), z.literal(3)]), label: z.string() })
    .check(z.describe('1 enabled, 2 disabled, 3 requires approval')),
  state: z
    .enum(VIDEO_STATES)
    .check(
      z.describe(
        'live: on air now; ended: a live that stopped (its recording, if any, queues it as a replay)',
      ),
    ),
  progress: z.int().check(z.minimum(0), z.maximum(100)),
  error: z.optional(z.string()).check(z.describe('Why the video failed; present when state is failed')),
  durationSeconds: z.nullable(z.number()),
  renditions: z.optional(z.array(RenditionMiniSchema)).check(z.describe('Present when state is ready')),
  live: z
    .optional(
      z.object({
        viewers: z
          .int()
          .check(z.minimum(0), z.describe('Viewers whose player sent a heartbeat in the last 30 s')),
        health: z
          .nullable(LiveStreamHealthMiniSchema)
          .check(z.describe('null until the live transcoder measured the source')),
      }),
    )
    .check(z.describe('Present while state is live')),
  processing: z
    .optional(VideoProcessingMiniSchema)
    .check(
      z.describe('Present while a ready video still encodes more renditions; absent once the ladder landed'),
    ),
  retries: z
    .optional(VideoRetriesMiniSchema)
    .check(
      z.describe(
        'Present while its processing retries after a failed attempt, or once it gave up; absent once it succeeded',
      ),
    ),
  likes: z.int().check(z.minimum(0)),
  dislikes: z.int().check(z.minimum(0)),
  tags: z.array(z.string()),
  views: z.int().check(z.minimum(0), z.describe('Views counted so far (flushed every few seconds)')),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

const AvatarMiniSchema = z.object({
  width: z.int(),
  path: z.string(),
  fileUrl: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const LabelledUnknownMiniSchema = z.object({ id: z.null(), label: z.string() });

/** Twin of `VideoSchema`: what `GET /api/v1/videos/:id` answers. */
export const VideoMiniSchema = z
  .extend(VideoCoreMiniSchema, {
    uuid: z.uuid(),
    shortUUID: z
      .string()
      .check(
        z.describe(
          'The UUID again: Vidra has no short ids, and clients accept the UUID wherever PeerTube takes one',
        ),
      ),
    url: z.string().check(z.describe('The watch page, /videos/watch/<uuid>')),
    name: z.string().check(z.describe('PeerTube name of title')),
    category: LabelledUnknownMiniSchema,
    licence: LabelledUnknownMiniSchema,
    language: LabelledUnknownMiniSchema,
    nsfw: z.boolean(),
    truncatedDescription: z.string(),
    isLocal: z.boolean(),
    duration: z.int().check(z.minimum(0), z.describe('Whole seconds (0 until known)')),
    aspectRatio: z.nullable(z.number()),
    viewers: z.int().check(z.minimum(0)),
    thumbnailPath: z.string(),
    previewPath: z.string(),
    embedPath: z.string(),
    publishedAt: z.iso.datetime(),
    originallyPublishedAt: z.nullable(z.iso.datetime()),
    isLive: z.boolean(),
    account: z.object({
      id: z.uuid(),
      name: z.string(),
      host: z.string(),
      displayName: z.string(),
      url: z.string(),
      avatars: z.array(AvatarMiniSchema),
    }),
    channel: z.object({
      id: z.uuid(),
      handle: z.string(),
      displayName: z.string(),
      name: z.string(),
      host: z.string(),
      url: z.string(),
      avatars: z.array(AvatarMiniSchema),
    }),
    support: z.nullable(z.string()),
    commentsEnabled: z.boolean(),
    downloadEnabled: z.boolean(),
    waitTranscoding: z.boolean(),
    blacklisted: z.boolean(),
    trackerUrls: z.array(z.string()),
    files: z.array(z.unknown()).check(z.describe('Web videos: none, Vidra publishes HLS only')),
    streamingPlaylists: z
      .array(
        z.object({
          id: z.int(),
          type: z.literal(1),
          playlistUrl: z.string(),
          segmentsSha256Url: z.nullable(z.string()),
          redundancies: z.array(z.object({ baseUrl: z.string() })),
          files: z.array(
            z.object({
              id: z.int(),
              resolution: z.object({ id: z.int(), label: z.string() }),
              width: z.int(),
              height: z.int(),
              size: z.int(),
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
      .check(
        z.describe('Filled in by the edge, with signed URLs, for public and unlisted videos that are ready'),
      ),
  })
  .check(z.meta({ id: 'Video' }));

/** Twin of `VideoPageSchema`: what `GET /api/v1/videos` answers. */
export const VideoPageMiniSchema = z.object({
  total: z.int().check(z.minimum(0), z.describe('How many items the caller may see in the whole list')),
  data: z.array(VideoMiniSchema),
  nextCursor: z.nullable(z.string()).check(z.describe('Pass as `cursor` for the next page; null at the end')),
});
