import { describe, expect, it } from 'vitest';
import { readRemoteVideo } from './remote-video.js';
import { BASE, SAMPLE_VIDEO, UUID } from './sample-video.js';
import { buildVideoObject } from './video.js';

const ours = (privacy: 'public' | 'unlisted' = 'public') =>
  structuredClone(buildVideoObject({ ...SAMPLE_VIDEO, privacy })) as Record<string, unknown>;

describe('readRemoteVideo', () => {
  it('reads our own public Video into what a mirror keeps', () => {
    expect(readRemoteVideo(ours())).toEqual({
      ok: true,
      video: {
        url: `${BASE}/videos/watch/${UUID}`,
        uuid: UUID,
        title: 'Harbour at dawn',
        description: 'Boats leaving **early**.',
        durationSeconds: 93,
        tags: ['sea', 'boats'],
        views: 12,
        privacy: 'public',
        publishedAt: new Date('2026-11-30T10:00:00.000Z'),
        updatedAt: new Date('2026-11-30T11:00:00.000Z'),
        channelId: `${BASE}/video-channels/alice_channel`,
        hls: `${BASE}/videos/watch/${UUID}/media/master.m3u8`,
        thumbnail: `${BASE}/videos/watch/${UUID}/media/thumbnail.jpg`,
        commentsEnabled: true,
      },
    });
  });

  it('keeps an unlisted one unlisted', () => {
    const read = readRemoteVideo(ours('unlisted'));
    expect(read.ok && read.video.privacy).toBe('unlisted');
  });

  const refused: Array<[string, (v: Record<string, unknown>) => void, RegExp]> = [
    ['a name PeerTube refuses', (v) => (v.name = 'ab'), /^name:/],
    ['a duration in minutes', (v) => (v.duration = 'PT1M33S'), /^duration:/],
    ['no HLS link', (v) => (v.url = [(v.url as unknown[])[0]]), /x-mpegURL/],
    ['no Group', (v) => (v.attributedTo = [{ type: 'Person', id: `${BASE}/accounts/alice` }]), /Group/],
    [
      'a private audience',
      (v) => {
        v.to = [];
        v.cc = [];
      },
      /public nor unlisted/,
    ],
    ['no icon', (v) => (v.icon = []), /^icon:/],
  ];
  it.each(refused)('refuses %s, saying why', (_name, plant, reason) => {
    const video = ours();
    plant(video);
    const read = readRemoteVideo(video);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.reason).toMatch(reason);
  });

  it('refuses what is not an object at all', () => {
    expect(readRemoteVideo('Video').ok).toBe(false);
    expect(readRemoteVideo(null).ok).toBe(false);
  });
});
