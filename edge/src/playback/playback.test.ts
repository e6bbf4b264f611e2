import { describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../protocol/errors.js';
import {
  edge,
  originCounts,
  type PlaybackAnswer,
  pathOf,
  playback,
  REAL,
  realEnv,
} from '../../test/real-client.js';
import worker from '../index.js';

type Who = 'owner' | 'other' | 'admin' | undefined;
// Playback issuance status for each privacy level and caller, decided at the edge.
const EXPECTED: Record<
  'public' | 'unlisted' | 'private' | 'internal' | 'password',
  Record<string, number>
> = {
  public: { anonymous: 200, owner: 200, other: 200, admin: 200 },
  unlisted: { anonymous: 200, owner: 200, other: 200, admin: 200 },
  internal: { anonymous: 401, owner: 200, other: 200, admin: 200 },
  private: { anonymous: 404, owner: 200, other: 404, admin: 200 },
  password: { anonymous: 403, owner: 200, other: 403, admin: 200 },
};

describe('playback issuance at the edge', () => {
  for (const [privacy, byCaller] of Object.entries(EXPECTED)) {
    for (const [caller, status] of Object.entries(byCaller)) {
      it(`${privacy} video, ${caller}: ${status}`, async () => {
        const who = (caller === 'anonymous' ? undefined : caller) as Who;
        const res = await playback(REAL.videos[privacy as keyof typeof EXPECTED], who);
        expect(res.status).toBe(status);
        const body = await res.json<PlaybackAnswer & ErrorBody>();
        if (status === 200) {
          expect(body.hls).toMatch(
            /^https:\/\/video\.example\.com\/play\/[\w-]+\.[\w-]+\.[\w-]+\/master\.m3u8$/,
          );
          expect(body.thumbnail).toMatch(/\/thumbnail\.jpg$/);
          expect(body.storyboard).toMatch(/\/storyboard\.vtt$/);
          const expires = Date.parse(body.expiresAt);
          expect(expires).toBeGreaterThan(Date.now() + 3 * 3600_000);
          expect(expires).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
          expect(res.headers.get('cache-control')).toBe('no-store');
        } else {
          expect(body.error.requestId).toBeTruthy();
          expect(JSON.stringify(body)).not.toContain('/play/');
        }
      });
    }
  }

  it('opens a password video with the right password, refuses a wrong one', async () => {
    const right = await playback(REAL.videos.password, 'other', { password: 'open sesame' });
    expect(right.status).toBe(200);
    const wrong = await playback(REAL.videos.password, undefined, { password: 'nope' });
    expect(wrong.status).toBe(403);
    expect((await wrong.json<ErrorBody>()).error.code).toBe('wrong_password');
  });

  it('refuses a password that is not a string of at most 200 characters', async () => {
    for (const password of [42, 'x'.repeat(201)]) {
      const res = await playback(REAL.videos.password, 'other', { password });
      expect(res.status).toBe(400);
      expect((await res.json<ErrorBody>()).error.code).toBe('validation_failed');
    }
  });

  it('answers 409 for a video that is not playable yet, 404 for unknown ids, 400 for malformed ones', async () => {
    expect((await playback(REAL.videos.processing, 'owner')).status).toBe(409);
    expect((await playback('6f1c5a8e-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await playback('not-a-uuid')).status).toBe(400);
  });

  it('never exposes the origin internal API', async () => {
    const res = await edge(`/internal/v1/videos/${REAL.videos.public}/access`, {
      headers: { authorization: `Bearer ${REAL.internalToken}` },
    });
    expect(res.status).toBe(404);
  });
});

describe('signed playback requests', () => {
  const signed = async (videoId = REAL.videos.public) =>
    (await (await playback(videoId, 'owner')).json()) as {
      hls: string;
      thumbnail: string;
      storyboard: string;
    };

  it('serves the master, media playlists and segments under the token', async () => {
    const { hls } = await signed();
    const base = pathOf(hls).replace(/master\.m3u8$/, '');
    const master = await edge(pathOf(hls));
    expect(master.status).toBe(200);
    expect(master.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(master.headers.get('access-control-allow-origin')).toBe('*');
    expect(await master.text()).toBe(REAL.master);
    const media = await edge(`${base}240p/index.m3u8`);
    expect(await media.text()).toContain('seg_00001.m4s');
    const segment = await edge(`${base}240p/seg_00001.m4s`);
    expect(segment.status).toBe(200);
    expect(segment.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await segment.arrayBuffer()).byteLength).toBe(1000);
  });

  it('answers byte ranges', async () => {
    const { hls } = await signed();
    const path = pathOf(hls).replace(/master\.m3u8$/, '240p/seg_00001.m4s');
    const part = await edge(path, { headers: { range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/1000');
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const tail = await edge(path, { headers: { range: 'bytes=-5' } });
    expect(tail.headers.get('content-range')).toBe('bytes 995-999/1000');
    const past = await edge(path, { headers: { range: 'bytes=5000-' } });
    expect(past.status).toBe(416);
  });

  it('refuses a tampered token with 403 JSON that is never cached', async () => {
    const { hls } = await signed();
    const [, token] = /\/play\/([^/]+)\//.exec(hls) as unknown as [string, string];
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(atob(p.replace(/-/g, '+').replace(/_/g, '/')));
    const forgedPayload = btoa(JSON.stringify({ ...claims, sub: REAL.videos.private }))
      .replace(/=+$/, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
    for (const bad of [`${h}.${forgedPayload}.${s}`, `${h}.${p}.${s.slice(0, -3)}AAA`, 'x.y.z']) {
      const res = await edge(`/play/${bad}/master.m3u8`);
      expect(res.status).toBe(403);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await res.json<ErrorBody>();
      expect(body.error.code).toBe('forbidden');
      expect(body.error.message).toMatch(/^Playback refused: /);
    }
  });

  it('refuses a token for the wrong kind of file, and paths outside the video', async () => {
    const { hls, thumbnail } = await signed();
    const thumbToken = /\/play\/([^/]+)\//.exec(thumbnail)?.[1];
    const hlsToken = /\/play\/([^/]+)\//.exec(hls)?.[1];
    expect((await edge(`/play/${thumbToken}/thumbnail.jpg`)).status).toBe(200);
    expect((await edge(`/play/${thumbToken}/master.m3u8`)).status).toBe(403);
    for (const path of [
      '../../sources/x/original',
      '240p/../../x',
      '%2e%2e/secret',
      '240p/seg_1.m4s/../../a',
      'thumbnail.jpg',
      '240p/seg_1.m4s%2f..%2f..%2fx',
    ]) {
      const res = await edge(`/play/${hlsToken}/${path}`);
      expect([403, 404]).toContain(res.status);
      if (res.status === 403) expect((await res.json<ErrorBody>()).error.message).toMatch(/Playback refused/);
    }
    expect((await edge(`/play/${hlsToken}/thumbnail.jpg`)).status).toBe(403);
  });

  it('refuses expired tokens and tokens of a retired key', async () => {
    const { hls } = await signed();
    const path = pathOf(hls);
    const expiredEnv = realEnv({ PLAYBACK_TTL_SECONDS: '1' });
    const short = await (
      await playback(REAL.videos.public, 'owner', undefined, expiredEnv)
    ).json<PlaybackAnswer>();
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await edge(pathOf(short.hls), {}, expiredEnv);
    expect(expired.status).toBe(403);
    expect((await expired.json<ErrorBody>()).error.message).toMatch(/expired/);
    // Retire key k2 (the signer of `path`): only k1 remains, so its tokens stop working.
    const retired = realEnv({ PLAYBACK_KEYS: `k1:${'r'.repeat(40)}` });
    const res = await edge(path, {}, retired);
    expect(res.status).toBe(403);
    expect((await res.json<ErrorBody>()).error.message).toMatch(/unknown or retired key/);
  });

  it('binds tokens to the client address when configured', async () => {
    const env = realEnv({ PLAYBACK_BIND_IP: 'true' });
    const { hls } = await (
      await playback(REAL.videos.public, 'owner', undefined, env)
    ).json<PlaybackAnswer>();
    expect((await edge(pathOf(hls), {}, env)).status).toBe(200);
    const elsewhere = await edge(pathOf(hls), { headers: { 'cf-connecting-ip': '203.0.113.99' } }, env);
    expect(elsewhere.status).toBe(403);
  });
});

describe('country rules', () => {
  it('writes the configured rules into tokens and enforces them with the request country', async () => {
    const env = realEnv({ PLAYBACK_COUNTRIES_DENY: 'XX' });
    const { hls } = await (
      await playback(REAL.videos.public, 'owner', undefined, env)
    ).json<PlaybackAnswer>();
    const from = (country: string) =>
      worker.fetch(
        new Request(`https://video.example.com${pathOf(hls)}`, { cf: { country } } as RequestInit),
        env,
      );
    expect((await from('FR')).status).toBe(200);
    const refused = await from('XX');
    expect(refused.status).toBe(403);
    expect((await refused.json<ErrorBody>()).error.message).toMatch(/not available in your country/);
    const allowOnly = realEnv({ PLAYBACK_COUNTRIES_ALLOW: 'FR,BE' });
    const limited = await (
      await playback(REAL.videos.public, 'owner', undefined, allowOnly)
    ).json<PlaybackAnswer>();
    const fromDe = await worker.fetch(
      new Request(`https://video.example.com${pathOf(limited.hls)}`, {
        cf: { country: 'DE' },
      } as RequestInit),
      allowOnly,
    );
    expect(fromDe.status).toBe(403);
  });
});

describe('edge cache', () => {
  it('misses once, then hits, with the token left out of the cache key', async () => {
    const a = await (await playback(REAL.videos.unlisted, 'owner')).json<PlaybackAnswer>();
    // Another viewer, another token (a different lifetime makes it differ even within one second).
    const b = await (
      await playback(REAL.videos.unlisted, 'other', undefined, realEnv({ PLAYBACK_TTL_SECONDS: '600' }))
    ).json<PlaybackAnswer>();
    expect(a.storyboard).not.toBe(b.storyboard);
    const first = await edge(pathOf(a.storyboard));
    expect(first.headers.get('x-vidra-cache')).toBe('MISS');
    await first.text();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await edge(pathOf(b.storyboard));
    expect(second.headers.get('x-vidra-cache')).toBe('HIT');
    expect(await second.text()).toContain('WEBVTT');
  });

  it('collapses a burst of viewers into one origin fetch', async () => {
    await fetch(`${REAL.url}/__slow?ms=300`);
    try {
      const tokens = await Promise.all(
        ['owner', 'other', 'admin'].map(
          async (who) =>
            (await (await playback(REAL.videos.unlisted, who as 'owner')).json<PlaybackAnswer>()).hls,
        ),
      );
      const before = (await originCounts()).media;
      const burst = Array.from({ length: 30 }, (_, i) =>
        edge(pathOf(tokens[i % 3] as string).replace(/master\.m3u8$/, '240p/init.mp4')),
      );
      const responses = await Promise.all(burst);
      for (const res of responses) expect(res.status).toBe(200);
      expect((await originCounts()).media - before).toBe(1);
    } finally {
      await fetch(`${REAL.url}/__slow?ms=0`);
    }
  });
});
