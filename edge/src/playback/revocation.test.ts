import { describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../protocol/errors.js';
import { edge, type PlaybackAnswer, pathOf, playback, REAL, realEnv } from '../../test/real-client.js';

const video = REAL.videos.revocable;
const revoke = async (reason = 'video.privacy_changed') =>
  (await fetch(`${REAL.url}/__revoke?video=${video}&reason=${reason}`)).json();
const issue = async (env: ReturnType<typeof realEnv>) =>
  (await (await playback(video, 'other', undefined, env)).json<PlaybackAnswer>()).hls;
const segment = (hls: string) => pathOf(hls).replace(/master\.m3u8$/, '240p/seg_00001.m4s');

describe('playback revocation at the edge', () => {
  it('refuses tokens minted before a revocation, cached files included, and serves tokens minted after', async () => {
    // Sync on every request, so the test needs no wait; the bound itself is unit-tested.
    const env = realEnv({ REVOCATION_SYNC_SECONDS: '0' });
    const before = await issue(env);
    const warm = await edge(segment(before), {}, env);
    expect(warm.status).toBe(200);
    await warm.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 50)); // the copy lands in the cache
    expect((await edge(segment(before), {}, env)).headers.get('x-vidra-cache')).toBe('HIT');

    await revoke();
    for (const path of [pathOf(before), segment(before)]) {
      const refused = await edge(path, {}, env);
      expect(refused.status).toBe(403);
      expect((await refused.json<ErrorBody>()).error.message).toBe('Playback refused: token revoked');
    }
    const after = await issue(env);
    const res = await edge(segment(after), {}, env);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vidra-cache')).toBe('HIT'); // the files stay valid for new tokens
  });

  it('fails closed when the revocation feed cannot be reached', async () => {
    const env = realEnv();
    const hls = await issue(env);
    expect((await edge(pathOf(hls), {}, env)).status).toBe(200);
    // Same keys, a fresh isolate, and the only origin is gone: it never synced, so trusts nothing.
    // (Going stale past REVOCATION_MAX_STALE_SECONDS is the same check: revocations.test.ts.)
    const cut = realEnv({ ORIGINS: 'http://127.0.0.1:9' });
    const res = await edge(pathOf(hls), {}, cut);
    expect(res.status).toBe(503);
    expect((await res.json<ErrorBody>()).error.code).toBe('unavailable');
  });
});

describe('issued playback URLs', () => {
  it('start with the configured PUBLIC_URL, whatever Host the request names', async () => {
    const env = realEnv({ PUBLIC_URL: 'https://watch.example.org/' });
    const res = await edge(
      `/api/v1/videos/${REAL.videos.public}/playback`,
      { method: 'POST', headers: { host: 'evil.example' } },
      env,
    );
    const body = await res.json<PlaybackAnswer>();
    for (const url of [body.hls, body.thumbnail, body.storyboard]) {
      expect(url.startsWith('https://watch.example.org/play/')).toBe(true);
    }
  });
});
