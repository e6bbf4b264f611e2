import { describe, expect, it } from 'vitest';
import { fromApDuration, toApDuration } from './duration.js';
import { nodeInfoLinks } from './nodeinfo.js';
import { buildCommentNote } from './note.js';
import { acceptsActivityJson } from './paths.js';
import { BASE, SAMPLE_VIDEO, UUID } from './sample-video.js';
import { buildVideoObject } from './video.js';

describe('buildVideoObject', () => {
  it('builds PeerTube-shaped JSON, exactly', () => {
    const { '@context': context, ...video } = buildVideoObject(SAMPLE_VIDEO) ?? {};
    expect(context?.[0]).toBe('https://www.w3.org/ns/activitystreams');
    expect(video).toEqual({
      type: 'Video',
      id: `${BASE}/videos/watch/${UUID}`,
      name: 'Harbour at dawn',
      duration: 'PT93S',
      uuid: UUID,
      tag: [
        { type: 'Hashtag', name: 'sea' },
        { type: 'Hashtag', name: 'boats' },
      ],
      views: 12,
      sensitive: false,
      waitTranscoding: false,
      isLiveBroadcast: false,
      state: 1,
      commentsEnabled: true,
      downloadEnabled: false,
      published: '2026-11-30T10:00:00.000Z',
      updated: '2026-11-30T11:00:00.000Z',
      mediaType: 'text/markdown',
      content: 'Boats leaving **early**.',
      icon: [
        {
          type: 'Image',
          url: `${BASE}/videos/watch/${UUID}/media/thumbnail.jpg`,
          width: 320,
          height: 180,
          mediaType: 'image/jpeg',
        },
      ],
      url: [
        { type: 'Link', mediaType: 'text/html', href: `${BASE}/videos/watch/${UUID}` },
        {
          type: 'Link',
          mediaType: 'application/x-mpegURL',
          href: `${BASE}/videos/watch/${UUID}/media/master.m3u8`,
          tag: [
            {
              type: 'Link',
              name: '180p',
              mediaType: 'application/x-mpegURL',
              href: `${BASE}/videos/watch/${UUID}/media/180p/index.m3u8`,
              width: 320,
              height: 180,
              bandwidth: 400000,
            },
          ],
        },
      ],
      likes: `${BASE}/videos/watch/${UUID}/likes`,
      dislikes: `${BASE}/videos/watch/${UUID}/dislikes`,
      shares: `${BASE}/videos/watch/${UUID}/shares`,
      comments: `${BASE}/videos/watch/${UUID}/comments`,
      attributedTo: [
        { type: 'Person', id: `${BASE}/accounts/alice` },
        { type: 'Group', id: `${BASE}/video-channels/alice_channel` },
      ],
      to: ['https://www.w3.org/ns/activitystreams#Public'],
      cc: [`${BASE}/video-channels/alice_channel/followers`],
    });
  });

  it('addresses unlisted videos to followers only, and federates nothing more private', () => {
    const unlisted = buildVideoObject({ ...SAMPLE_VIDEO, privacy: 'unlisted' });
    expect(unlisted?.to).toEqual([`${BASE}/video-channels/alice_channel/followers`]);
    expect(unlisted?.cc).toEqual(['https://www.w3.org/ns/activitystreams#Public']);
    for (const privacy of ['private', 'internal', 'password'] as const) {
      expect(buildVideoObject({ ...SAMPLE_VIDEO, privacy })).toBeUndefined();
    }
  });

  it('sends no content for a description PeerTube would refuse (under 3 characters)', () => {
    expect(buildVideoObject({ ...SAMPLE_VIDEO, description: '' })?.content).toBeNull();
  });
});

describe('durations', () => {
  it('writes whole seconds only, never minutes', () => {
    expect(toApDuration(93.4)).toBe('PT93S');
    expect(toApDuration(3600)).toBe('PT3600S');
    expect(toApDuration(null)).toBe('PT0S');
    expect(fromApDuration('PT93S')).toBe(93);
    expect(fromApDuration('PT1M33S')).toBeUndefined();
  });
});

describe('buildCommentNote', () => {
  it('is a Note in reply to the video', () => {
    const { '@context': _context, ...note } =
      buildCommentNote({
        baseUrl: BASE,
        videoUuid: UUID,
        commentId: 7,
        html: '<p>Lovely</p>',
        authorUrl: `${BASE}/accounts/bob`,
        channelHandle: 'alice_channel',
        privacy: 'public',
        publishedAt: new Date('2026-11-30T12:00:00.000Z'),
        updatedAt: new Date('2026-11-30T12:00:00.000Z'),
      }) ?? {};
    expect(note).toEqual({
      type: 'Note',
      id: `${BASE}/videos/watch/${UUID}/comments/7`,
      content: '<p>Lovely</p>',
      mediaType: 'text/html',
      inReplyTo: `${BASE}/videos/watch/${UUID}`,
      context: `${BASE}/videos/watch/${UUID}`,
      attributedTo: `${BASE}/accounts/bob`,
      published: '2026-11-30T12:00:00.000Z',
      updated: '2026-11-30T12:00:00.000Z',
      url: `${BASE}/videos/watch/${UUID}/comments/7`,
      tag: [],
      to: ['https://www.w3.org/ns/activitystreams#Public'],
      cc: [`${BASE}/video-channels/alice_channel/followers`],
    });
  });
});

describe('acceptsActivityJson', () => {
  it('tells ActivityPub requests from browsers', () => {
    expect(acceptsActivityJson('application/activity+json')).toBe(true);
    expect(acceptsActivityJson('application/ld+json; profile="https://www.w3.org/ns/activitystreams"')).toBe(
      true,
    );
    expect(acceptsActivityJson('text/html,application/xhtml+xml,*/*;q=0.8')).toBe(false);
    expect(acceptsActivityJson(undefined)).toBe(false);
  });
});

describe('nodeInfoLinks', () => {
  it('points at NodeInfo 2.0 and at the Application actor PeerTube looks for', () => {
    expect(nodeInfoLinks(BASE)).toEqual({
      links: [
        { rel: 'http://nodeinfo.diaspora.software/ns/schema/2.0', href: `${BASE}/nodeinfo/2.0` },
        { rel: 'https://www.w3.org/ns/activitystreams#Application', href: `${BASE}/accounts/vidra-instance` },
      ],
    });
  });
});
