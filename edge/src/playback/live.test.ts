import { describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../protocol/errors.js';
import { ORIGIN_URL } from '../../test/edge-client.js';
import { FAKE_INTERNAL_TOKEN, type FakeLiveCounts } from '../../test/provided.js';
import { edge, PLAYBACK_KEYS, pathOf } from '../../test/real-client.js';
import type { EdgeBindings } from '../env.js';
import { liveDirectives } from './live.js';

/** An edge in front of the fake live origin (edge/test/live-origin.ts), with fresh isolate state. */
const liveEnv = (extra: EdgeBindings = {}): EdgeBindings => ({
  ORIGINS: ORIGIN_URL,
  INTERNAL_API_TOKEN: FAKE_INTERNAL_TOKEN,
  PLAYBACK_KEYS,
  CLIENT_IP_SOURCE: 'cf-connecting-ip',
  ...extra,
});
const hook = async <T>(name: string, query: string): Promise<T> =>
  (await fetch(`${ORIGIN_URL}/__live/${name}?${query}`)).json() as Promise<T>;
const onAir = async (privacy: 'public' | 'private' = 'public') =>
  (await hook<{ videoId: string }>('create', `privacy=${privacy}`)).videoId;
const publish = (videoId: string) => hook('publish', `video=${videoId}`);
const counts = (videoId: string) => hook<FakeLiveCounts>('counts', `video=${videoId}`);
const issue = (videoId: string, env: EdgeBindings) =>
  edge(`/api/v1/videos/${videoId}/playback`, { method: 'POST' }, env);
/** The `/play/<token>/` prefix of a live video's signed URLs. */
const playBase = async (videoId: string, env: EdgeBindings) =>
  pathOf((await (await issue(videoId, env)).json<{ hls: string }>()).hls).replace(/master\.m3u8$/, '');

describe('live _HLS_ directives', () => {
  const of = (query: string) => liveDirectives(new URLSearchParams(query));
  it('keeps the three directives in one order, drops everything else', () => {
    expect(of('')).toBe('');
    expect(of('_HLS_skip=YES&_HLS_part=2&_HLS_msn=41&cb=1&token=x')).toBe(
      '_HLS_msn=41&_HLS_part=2&_HLS_skip=YES',
    );
    expect(of('_HLS_msn=007')).toBe('_HLS_msn=7');
    expect(of('_HLS_skip=v2')).toBe('_HLS_skip=v2');
  });
  it('refuses malformed or repeated directives, and a part without its segment', () => {
    for (const bad of [
      '_HLS_msn=-1',
      '_HLS_msn=1.5',
      '_HLS_msn=abc',
      '_HLS_msn=1234567890',
      '_HLS_msn=1&_HLS_msn=2',
      '_HLS_msn=1&_HLS_part=x',
      '_HLS_part=1',
      '_HLS_skip=NO',
    ]) {
      expect(of(bad), bad).toBe('invalid');
    }
  });
});

describe('live playback through the edge', () => {
  it('issues a live URL under the same token model, and no poster or storyboard yet', async () => {
    const videoId = await onAir();
    const res = await issue(videoId, liveEnv());
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json<Record<string, unknown>>();
    expect(body).toMatchObject({ live: true, thumbnail: null, storyboard: null });
    expect(body.hls).toMatch(/^https:\/\/video\.example\.com\/play\/[\w-]+\.[\w-]+\.[\w-]+\/master\.m3u8$/);
    const master = await edge(pathOf(body.hls as string), {}, liveEnv());
    expect(master.status).toBe(200);
    expect(await master.text()).toContain('source/index.m3u8');
  });

  it('refuses anonymous issuance for a private live video, as for VOD', async () => {
    const res = await issue(await onAir('private'), liveEnv());
    expect(res.status).toBe(404);
    expect(JSON.stringify(await res.json())).not.toContain('/play/');
  });

  it('passes only the _HLS_ directives to the origin, never stores the playlist, refuses malformed ones', async () => {
    const env = liveEnv();
    const videoId = await onAir();
    await publish(videoId);
    const base = await playBase(videoId, env);
    const res = await edge(`${base}source/index.m3u8?_HLS_part=0&utm=x&_HLS_msn=1&_HLS_skip=YES`, {}, env);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    const text = await res.text();
    expect(text).toContain('## origin saw query: _HLS_msn=1&_HLS_part=0&_HLS_skip=YES\n');
    expect(text).toContain('part_00001_0.m4s');

    // A plain reload goes to the origin every time.
    await (await edge(`${base}source/index.m3u8?foo=bar`, {}, env)).text();
    await (await edge(`${base}source/index.m3u8`, {}, env)).text();
    expect((await counts(videoId)).playlists['source/index.m3u8?']).toBe(2);

    const bad = await edge(`${base}source/index.m3u8?_HLS_msn=oops`, {}, env);
    expect(bad.status).toBe(400);
    expect((await bad.json<ErrorBody>()).error.code).toBe('validation_failed');
    const ahead = await edge(`${base}source/index.m3u8?_HLS_msn=99`, {}, env);
    expect(ahead.status).toBe(400); // the origin's "too far ahead", kept
  });

  it('collapses 50 viewers blocked on the same part onto one origin request', async () => {
    const env = liveEnv();
    const videoId = await onAir();
    await publish(videoId); // part 1.0
    const base = await playBase(videoId, env);
    const query = '_HLS_msn=1&_HLS_part=2';
    let answered = 0;
    const viewers = Array.from({ length: 50 }, () =>
      edge(`${base}source/index.m3u8?${query}`, {}, env).finally(() => answered++),
    );
    // Wait until the one request is held at the origin, then publish the parts it waits for.
    for (let i = 0; i < 100 && !(await counts(videoId)).playlists[`source/index.m3u8?${query}`]; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    await publish(videoId); // 1.1: not yet enough
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(0); // every viewer is still blocked
    await publish(videoId); // 1.2
    const answers = await Promise.all(viewers);
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('part_00001_2.m4s');
    }
    expect((await counts(videoId)).playlists[`source/index.m3u8?${query}`]).toBe(1);
  });

  it('caches parts and init segments as immutable, without the token, loading each once', async () => {
    const env = liveEnv();
    const videoId = await onAir();
    await publish(videoId);
    const [first, second] = [await playBase(videoId, env), await playBase(videoId, env)];
    expect(first).not.toBe(second);
    for (const file of ['source/part_00001_0.m4s', 'source/init.mp4']) {
      const miss = await edge(`${first}${file}`, {}, env);
      expect(miss.status).toBe(200);
      expect(miss.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await miss.text()).toBe(`bytes of ${file}`);
      await new Promise((resolve) => setTimeout(resolve, 50)); // the copy lands in the cache
      const hit = await edge(`${second}${file}`, {}, env); // another viewer's token
      expect(hit.headers.get('x-vidra-cache')).toBe('HIT');
      expect(await hit.text()).toBe(`bytes of ${file}`);
      expect((await counts(videoId)).files[file]).toBe(1);
    }
    // A part not published yet is not cached: once it exists, it is served.
    const early = await edge(`${first}source/part_00001_1.m4s`, {}, env);
    expect(early.status).toBe(404);
    await publish(videoId);
    expect((await edge(`${first}source/part_00001_1.m4s`, {}, env)).status).toBe(200);
  });

  it('refuses a revoked live token before anything is served, cached files included', async () => {
    const env = liveEnv({ REVOCATION_SYNC_SECONDS: '0' });
    const videoId = await onAir();
    await publish(videoId);
    const before = await playBase(videoId, env);
    const part = `${before}source/part_00001_0.m4s`;
    expect((await edge(part, {}, env)).status).toBe(200);
    await hook('revoke', `video=${videoId}`);
    for (const path of [`${before}master.m3u8`, `${before}source/index.m3u8`, part]) {
      const refused = await edge(path, {}, env);
      expect(refused.status).toBe(403);
      expect((await refused.json<ErrorBody>()).error.message).toBe('Playback refused: token revoked');
    }
    const after = await playBase(videoId, env);
    expect((await edge(`${after}source/part_00001_0.m4s`, {}, env)).status).toBe(200);
  });
});
