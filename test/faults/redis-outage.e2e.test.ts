/**
 * Fault: Redis dies under `npm start` (issue 16, Redis). The edge's limits must really live in
 * Redis while it is up, fall back to memory limits (never to unlimited) while it is down, and come
 * back to Redis when it returns. Redis is a server of this test's own.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPlatform, startPlatform } from '../support/platform.js';
import { type RedisServer, startRedisServer } from './redis-server.js';

let redis: RedisServer;
let platform: RunningPlatform;
const AUTH_BUDGET = 4;

async function login(): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  const res = await fetch(`${platform.edgeUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // A fresh email each time, so the origin's own per-subject throttle never answers first.
    body: JSON.stringify({ email: `nobody-${crypto.randomUUID()}@example.com`, password: 'wrong password' }),
  });
  await res.arrayBuffer();
  return { status: res.status, ms: Date.now() - started };
}

async function rateLimitKeys(pattern = 'vidra:rl:auth*'): Promise<string[]> {
  const client = createClient({ url: redis.url });
  await client.connect();
  try {
    return await client.keys(pattern);
  } finally {
    await client.quit();
  }
}

beforeAll(async () => {
  redis = await startRedisServer();
  platform = await startPlatform({ REDIS_URL: redis.url, RATE_LIMIT_AUTH: `${AUTH_BUDGET}/60` });
}, 150_000);

afterAll(async () => {
  await platform?.stop();
  await redis?.kill();
});

describe('Redis outage under npm start', () => {
  it('limits through Redis, falls back to memory limits while it is down, and returns to Redis', async () => {
    expect(platform.output()).toMatch(/Limits: +Redis through http:\/\/127\.0\.0\.1:\d+/);

    // Up: the budget is spent in Redis, where every edge would see it.
    const up = [];
    for (let i = 0; i < AUTH_BUDGET + 2; i++) up.push(await login());
    expect(up.map((r) => r.status === 429)).toEqual([false, false, false, false, true, true]);
    expect((await rateLimitKeys()).length).toBeGreaterThan(0);

    // Down: sign-ins stay limited (memory windows, same budget), each answered promptly.
    await redis.kill();
    const down = [];
    for (let i = 0; i < AUTH_BUDGET + 2; i++) down.push(await login());
    expect(down.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(2);
    expect(down.every((r) => r.status !== 500 && r.status !== 502)).toBe(true);
    expect(Math.max(...down.map((r) => r.ms)), 'slowest sign-in while Redis is down (ms)').toBeLessThan(3000);
    // (Before issue 16 the edge let every request through here. That the fallback logs once a
    // minute, not per request, is edge/src/ratelimit.test.ts's: wrangler dev --log-level warn
    // does not print the worker's console.)

    // Back: the bridge reconnects and limits land in Redis again. A write, not a sign-in: Ratelimit
    // remembers in the isolate that this address is blocked for auth until its window ends.
    await redis.start();
    const deadline = Date.now() + 15_000;
    let keys: string[] = [];
    while (keys.length === 0 && Date.now() < deadline) {
      const write = await fetch(`${platform.edgeUrl}/api/v1/channels`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ handle: 'nobody', displayName: 'Nobody' }),
      });
      await write.arrayBuffer();
      keys = await rateLimitKeys('vidra:rl:write*');
      if (keys.length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(keys.length, 'rate-limit keys in Redis after it came back').toBeGreaterThan(0);
  }, 60_000);
});
