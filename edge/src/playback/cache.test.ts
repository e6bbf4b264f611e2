import { describe, expect, it } from 'vitest';
import { cachedLoad, createEdgeCache, purgeGroup } from './cache.js';

const VIDEO = '11111111-2222-4333-8444-555555555555';
const key = (name: string) =>
  `https://playback-cache.vidra.invalid/${VIDEO}/1/${name}-${crypto.randomUUID()}`;

/** A loader that counts its calls and answers `body` with status `status`. */
function loader(body: string, status = 200) {
  const counter = {
    calls: 0,
    load: async () => {
      counter.calls++;
      return new Response(body, { status });
    },
  };
  return counter;
}

const background: Promise<unknown>[] = [];
const waitUntil = (promise: Promise<unknown>) => void background.push(promise);
const settle = () => Promise.all(background.splice(0));

describe('edge cache: per-isolate hot copies', () => {
  it('answers a repeated request from memory, without loading again, with the same bytes', async () => {
    const cache = createEdgeCache();
    const source = loader('segment bytes');
    const k = key('seg');
    const first = await cachedLoad(cache, k, 60, source.load, waitUntil, VIDEO);
    await settle();
    const second = await cachedLoad(cache, k, 60, source.load, waitUntil, VIDEO);
    expect(first.hit).toBe(false);
    expect(second.hit).toBe(true);
    expect(source.calls).toBe(1);
    expect(new TextDecoder().decode(second.object.body)).toBe('segment bytes');
    expect(cache.hot.has(k)).toBe(true);
    expect(cache.hotBytes).toBe('segment bytes'.length);
  });

  it('forgets a deleted video: after purgeGroup the next request loads from storage again', async () => {
    const cache = createEdgeCache();
    const source = loader('playlist');
    const k = key('index.m3u8');
    await cachedLoad(cache, k, 60, source.load, waitUntil, VIDEO);
    await settle();
    expect(await purgeGroup(cache, VIDEO)).toBeGreaterThanOrEqual(1);
    expect(cache.hot.size).toBe(0);
    expect(cache.hotBytes).toBe(0);
    const again = await cachedLoad(cache, k, 60, source.load, waitUntil, VIDEO);
    expect(again.hit).toBe(false);
    expect(source.calls).toBe(2);
  });

  it('keeps neither errors nor copies without a lifetime', async () => {
    const cache = createEdgeCache();
    const missing = loader('', 404);
    await cachedLoad(cache, key('gone'), 60, missing.load, waitUntil, VIDEO);
    const immediate = loader('no ttl');
    await cachedLoad(cache, key('zero'), 0, immediate.load, waitUntil, VIDEO);
    await settle();
    expect(cache.hot.size).toBe(0);
  });

  it('stays within its byte budget, dropping the oldest copies first', async () => {
    const cache = createEdgeCache();
    cache.hotBudget = 64; // objects up to 16 bytes are kept
    const keys = Array.from({ length: 6 }, (_, i) => key(`part${i}`));
    for (const k of keys) await cachedLoad(cache, k, 60, loader('0123456789abcdef').load, waitUntil, VIDEO);
    await settle();
    expect(cache.hotBytes).toBeLessThanOrEqual(64);
    expect(cache.hot.has(keys[0] as string)).toBe(false);
    expect(cache.hot.has(keys[5] as string)).toBe(true);
    await cachedLoad(cache, key('big'), 60, loader('x'.repeat(17)).load, waitUntil, VIDEO);
    await settle();
    expect([...cache.hot.keys()].some((k) => k.includes('/big-'))).toBe(false);
  });
});
