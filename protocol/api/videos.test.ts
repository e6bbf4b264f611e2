import { describe, expect, expectTypeOf, it } from 'vitest';
import { toJSONSchema } from 'zod';
import type * as z from 'zod/mini';
import {
  type VideoDto,
  type VideoPage,
  VideoPageSchema,
  VideoProcessingSchema,
  VideoSchema,
} from './videos.js';
import { VideoMiniSchema, VideoPageMiniSchema, VideoProcessingMiniSchema } from './videos-mini.js';

const video: VideoDto = {
  id: '0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90',
  channel: {
    id: '4f1c2b7e-3d5a-4e8f-9a6b-1c2d3e4f5a6b',
    handle: 'studio',
    displayName: 'Studio',
    name: 'studio',
    host: 'vidra.example',
    url: 'https://vidra.example/video-channels/studio',
    avatars: [],
  },
  title: 'A title',
  description: '',
  privacy: { id: 1, label: 'Public' },
  privacyName: 'public',
  commentsPolicy: { id: 1, label: 'Enabled' },
  state: 'ready',
  progress: 100,
  durationSeconds: 65.2,
  renditions: [{ width: 1280, height: 720, bitrate: 2_500_000, codecs: 'avc1.64001f,mp4a.40.2' }],
  processing: { stage: 'ladder', progress: 40 },
  likes: 2,
  dislikes: 0,
  tags: ['etude'],
  views: 3,
  uuid: '0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90',
  shortUUID: '0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90',
  url: 'https://vidra.example/videos/watch/0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90',
  name: 'A title',
  category: { id: null, label: 'Unknown' },
  licence: { id: null, label: 'Unknown' },
  language: { id: null, label: 'Unknown' },
  nsfw: false,
  truncatedDescription: '',
  isLocal: true,
  duration: 65,
  aspectRatio: 1.7778,
  viewers: 0,
  thumbnailPath: '/lazy-static/thumbnails/0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90.jpg',
  previewPath: '/lazy-static/previews/0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90.jpg',
  embedPath: '/videos/embed/0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90',
  publishedAt: '2025-01-02T03:04:05.678Z',
  originallyPublishedAt: null,
  isLive: false,
  account: {
    id: '4f1c2b7e-3d5a-4e8f-9a6b-1c2d3e4f5a6c',
    name: 'maker',
    host: 'vidra.example',
    displayName: 'maker',
    url: 'https://vidra.example/accounts/maker',
    avatars: [],
  },
  support: null,
  commentsEnabled: true,
  downloadEnabled: false,
  waitTranscoding: true,
  blacklisted: false,
  trackerUrls: [],
  files: [],
  streamingPlaylists: [],
  createdAt: '2025-01-02T03:04:05.678Z',
  updatedAt: '2025-01-02T03:04:06Z',
};

describe('video API contracts', () => {
  it('the zod/mini twins the edge parses with describe exactly what the origin publishes', () => {
    expect(toJSONSchema(VideoMiniSchema)).toEqual(toJSONSchema(VideoSchema));
    expect(toJSONSchema(VideoPageMiniSchema)).toEqual(toJSONSchema(VideoPageSchema));
    expect(toJSONSchema(VideoProcessingMiniSchema)).toEqual(toJSONSchema(VideoProcessingSchema));
    expectTypeOf<z.output<typeof VideoMiniSchema>>().toEqualTypeOf<VideoDto>();
    expectTypeOf<z.output<typeof VideoPageMiniSchema>>().toEqualTypeOf<VideoPage>();
  });

  it('both accept what the origin sends and refuse what breaks the contract', () => {
    const queued = { ...video, state: 'queued', progress: 0, durationSeconds: null } as const;
    const { renditions: _r, processing: _p, ...bare } = queued;
    for (const [schema, page] of [
      [VideoSchema, VideoPageSchema],
      [VideoMiniSchema, VideoPageMiniSchema],
    ] as const) {
      expect(schema.safeParse(video).data).toEqual(video);
      expect(schema.safeParse(bare).data).toEqual(bare);
      for (const state of ['live', 'ended'] as const)
        expect(schema.safeParse({ ...bare, state }).data).toEqual({ ...bare, state });
      expect(page.safeParse({ total: 2, data: [video, bare], nextCursor: null }).success).toBe(true);
      for (const broken of [
        { ...video, state: 'playing' },
        { ...video, progress: 101 },
        { ...video, channel: { id: 'nobody', handle: 'studio', displayName: 'Studio' } },
        { ...video, renditions: [{ width: 0, height: 720, bitrate: 1 }] },
        { ...video, createdAt: 'yesterday' },
        { method: 'GET', url: '/api/v1/videos/x' },
      ]) {
        expect(schema.safeParse(broken).success).toBe(false);
      }
      expect(page.safeParse({ items: [video] }).success).toBe(false);
      expect(page.safeParse({ items: [{ ...video, title: 1 }], nextCursor: null }).success).toBe(false);
    }
  });
});
