import type { VideoObjectInput } from './video.js';

/** A public video as the builders get it; shared by the builder and PeerTube-rule tests. */
export const BASE = 'https://vidra.example';
export const UUID = '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f';
export const SAMPLE_VIDEO: VideoObjectInput = {
  baseUrl: BASE,
  uuid: UUID,
  title: 'Harbour at dawn',
  description: 'Boats leaving **early**.',
  durationSeconds: 93.4,
  tags: ['sea', 'x', 'boats'],
  views: 12,
  privacy: 'public',
  publishedAt: new Date('2026-11-30T10:00:00.000Z'),
  updatedAt: new Date('2026-11-30T11:00:00.000Z'),
  accountName: 'alice',
  channelHandle: 'alice_channel',
  commentsEnabled: true,
  isLive: false,
  thumbnail: {
    url: `${BASE}/videos/watch/${UUID}/media/thumbnail.jpg`,
    width: 320,
    height: 180,
    mediaType: 'image/jpeg',
  },
  hls: {
    masterUrl: `${BASE}/videos/watch/${UUID}/media/master.m3u8`,
    renditions: [
      {
        name: '180p',
        href: `${BASE}/videos/watch/${UUID}/media/180p/index.m3u8`,
        width: 320,
        height: 180,
        bandwidth: 400000,
      },
    ],
  },
};
