import { describe, expect, it } from 'vitest';
import { echoThroughEdge, edgeFetch } from '../../test/edge-client.js';

const UUID = '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f';

describe('ActivityPub content negotiation at the edge', () => {
  it.each([
    'application/activity+json',
    'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
  ])('sends %s requests for a video id to the origin', async (accept) => {
    const { res, echo } = await echoThroughEdge(`/videos/watch/${UUID}`, { headers: { accept } });
    expect(res.status).toBe(200);
    expect(echo.url).toBe(`/videos/watch/${UUID}`);
    expect(res.headers.get('vary')).toContain('Accept');
  });

  it('sends channel ids asked for as ActivityPub to the origin too', async () => {
    const { echo } = await echoThroughEdge('/video-channels/harbour', {
      headers: { accept: 'application/activity+json' },
    });
    expect(echo.url).toBe('/video-channels/harbour');
  });

  it('redirects browsers to the HTML pages of the same video and channel', async () => {
    const video = await edgeFetch(`/videos/watch/${UUID}`, {
      headers: { accept: 'text/html' },
      redirect: 'manual',
    });
    expect(video.status).toBe(302);
    expect(new URL(video.headers.get('location') ?? '', 'https://x').pathname).toBe(`/w/${UUID}`);
    const channel = await edgeFetch('/video-channels/harbour', { redirect: 'manual' });
    expect(new URL(channel.headers.get('location') ?? '', 'https://x').pathname).toBe('/c/harbour');
  });
});
