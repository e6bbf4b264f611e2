import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeFixture, startFixture } from '../../test/support/upstash-bridge.js';

type Algorithm = ConstructorParameters<typeof Ratelimit>[0]['limiter'];

/**
 * The real @upstash/ratelimit over the bridge. Windows are an hour long so a test never straddles
 * a window boundary; the ephemeral cache is off so every verdict comes from Redis, not memory.
 */
describe('@upstash/ratelimit through the upstash bridge', () => {
  let fx: BridgeFixture;
  let redis: Redis;

  beforeAll(async () => {
    fx = await startFixture();
    redis = new Redis({ url: fx.bridge.url, token: fx.token });
  });
  afterEach(() => fx.cleanup());
  afterAll(() => fx.stop());

  const limiter = (limiterAlgorithm: Algorithm, prefix: string) =>
    new Ratelimit({ redis, limiter: limiterAlgorithm, prefix, ephemeralCache: false, analytics: false });

  it.each([
    ['slidingWindow', () => Ratelimit.slidingWindow(3, '1 h')],
    ['fixedWindow', () => Ratelimit.fixedWindow(3, '1 h')],
    ['tokenBucket', () => Ratelimit.tokenBucket(1, '1 h', 3)],
  ])('%s allows 3 then blocks, counting down to a reset in the future', async (_name, algorithm) => {
    const prefix = fx.prefix();
    const rl = limiter(algorithm(), prefix);
    const before = Date.now();
    const seen = [];
    for (let i = 0; i < 5; i++) seen.push(await rl.limit('viewer-1'));
    expect(seen.map((r) => r.success)).toEqual([true, true, true, false, false]);
    expect(seen.map((r) => r.remaining)).toEqual([2, 1, 0, 0, 0]);
    for (const result of seen) {
      expect(result.limit).toBe(3);
      expect(result.reset).toBeGreaterThan(before);
      expect(result.reset).toBeLessThanOrEqual(before + 3_600_000 + 1_000);
    }
    // The state lives in the real Redis under the limiter's prefix.
    const keys = await fx.direct.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
  });

  it('keeps limiters with different prefixes and identifiers independent', async () => {
    const a = limiter(Ratelimit.fixedWindow(2, '1 h'), fx.prefix());
    const b = limiter(Ratelimit.fixedWindow(2, '1 h'), fx.prefix());
    expect((await a.limit('same-id')).success).toBe(true);
    expect((await a.limit('same-id')).success).toBe(true);
    expect((await a.limit('same-id')).success).toBe(false);
    const fromB = await b.limit('same-id');
    expect(fromB.success).toBe(true);
    expect(fromB.remaining).toBe(1);
    expect((await a.limit('other-id')).remaining).toBe(1);
  });

  it('reports remaining tokens and resets a limiter', async () => {
    const rl = limiter(Ratelimit.slidingWindow(4, '1 h'), fx.prefix());
    await rl.limit('viewer-2');
    await rl.limit('viewer-2');
    expect((await rl.getRemaining('viewer-2')).remaining).toBe(2);
    await rl.resetUsedTokens('viewer-2');
    expect((await rl.getRemaining('viewer-2')).remaining).toBe(4);
  });

  it('serves EVALSHA under the hash ratelimit ships, after the first EVAL fallback', async () => {
    const rl = limiter(Ratelimit.fixedWindow(5, '1 h'), fx.prefix());
    await rl.limit('viewer-3');
    // Ratelimit hard-codes this hash for its fixed-window script (the SHA-1 of the flagged text).
    const shippedHash = 'b2efc02798c8e9b471a10f9b1d5745db89923ff3';
    expect(await redis.scriptExists(shippedHash)).toEqual([1]);
    // Redis itself only knows the rewritten script, so the bridge's alias is what makes this work.
    expect(await fx.direct.scriptExists(shippedHash)).toEqual([0]);
  });
});
