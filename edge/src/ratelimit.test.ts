import { describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../protocol/errors.js';
import { edge, realEnv } from '../test/real-client.js';
import {
  classify,
  createMemoryLimiter,
  createUpstashLimiter,
  DEFAULT_RULES,
  FALLBACK_LOG_INTERVAL_MS,
  parseRule,
  withMemoryFallback,
} from './ratelimit.js';

const login = (env: ReturnType<typeof realEnv>, ip = '198.51.100.50') =>
  edge(
    '/api/v1/auth/login',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip },
      // A fresh email each time: the origin's own login throttle must not answer before the edge's.
      body: JSON.stringify({
        email: `nobody-${crypto.randomUUID()}@example.com`,
        password: 'wrong password',
      }),
    },
    env,
  );

describe('rate limits', () => {
  it('classifies routes', () => {
    expect(classify('POST', '/api/v1/auth/login')).toBe('auth');
    expect(classify('POST', '/api/v1/videos/abc/playback')).toBe('playback');
    expect(classify('PATCH', '/api/v1/uploads/abc')).toBe('upload');
    expect(classify('POST', '/api/v1/videos')).toBe('write');
    expect(classify('GET', '/api/v1/videos')).toBeUndefined();
    expect(classify('GET', '/play/x/master.m3u8')).toBeUndefined();
    expect(parseRule('5/60', DEFAULT_RULES.auth)).toEqual({ requests: 5, windowSeconds: 60 });
    expect(parseRule('junk', DEFAULT_RULES.auth)).toEqual(DEFAULT_RULES.auth);
  });

  it('answers 429 with Retry-After once an address spends its auth budget (memory fallback)', async () => {
    const env = realEnv({ RATE_LIMIT_AUTH: '3/60' });
    for (let i = 0; i < 3; i++) {
      const res = await login(env);
      expect(res.status).toBe(401);
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(2 - i));
    }
    const limited = await login(env);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await limited.json<ErrorBody>()).error.code).toBe('too_many_requests');
    // Another address has its own budget.
    expect((await login(env, '198.51.100.51')).status).toBe(401);
  });

  it('shares limits through Redis via the Upstash REST API (the project bridge in front of real Redis)', async () => {
    const { REAL } = await import('../test/real-client.js');
    const env = realEnv({
      RATE_LIMIT_AUTH: '2/60',
      UPSTASH_REDIS_REST_URL: REAL.upstash.url,
      UPSTASH_REDIS_REST_TOKEN: REAL.upstash.token,
    });
    // A fresh address per run: Redis outlives test runs.
    const ip = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    expect((await login(env, ip)).status).toBe(401);
    expect((await login(env, ip)).status).toBe(401);
    const limited = await login(env, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // A second edge (another isolate, same Redis) sees the same budget as spent.
    const otherEdge = realEnv({
      RATE_LIMIT_AUTH: '2/60',
      UPSTASH_REDIS_REST_URL: REAL.upstash.url,
      UPSTASH_REDIS_REST_TOKEN: REAL.upstash.token,
    });
    expect((await login(otherEdge, ip)).status).toBe(429);
  });

  it('limits playback issuance per user', async () => {
    const env = realEnv({ RATE_LIMIT_PLAYBACK: '2/60' });
    const { REAL, playback } = await import('../test/real-client.js');
    expect((await playback(REAL.videos.public, 'other', undefined, env)).status).toBe(200);
    expect((await playback(REAL.videos.public, 'other', undefined, env)).status).toBe(200);
    expect((await playback(REAL.videos.public, 'other', undefined, env)).status).toBe(429);
    expect((await playback(REAL.videos.public, 'owner', undefined, env)).status).toBe(200);
  });

  it('memory windows reset after their time', async () => {
    let now = 1_000_000;
    const limiter = createMemoryLimiter(
      { ...DEFAULT_RULES, auth: { requests: 1, windowSeconds: 10 } },
      () => now,
    );
    expect((await limiter.limit('auth', 'a')).success).toBe(true);
    expect((await limiter.limit('auth', 'a')).success).toBe(false);
    now += 10_001;
    expect((await limiter.limit('auth', 'a')).success).toBe(true);
  });

  it('falls back to memory limits, never to unlimited, when Redis is unreachable; logs once a minute', async () => {
    let now = 5_000_000;
    const lines: Array<{ fallbacks: number }> = [];
    const rules = { ...DEFAULT_RULES, auth: { requests: 3, windowSeconds: 60 } };
    // Nothing listens on port 9 (discard): every call to the shared limiter fails.
    const limiter = withMemoryFallback(
      createUpstashLimiter('http://127.0.0.1:9', 'token', rules),
      createMemoryLimiter(rules, () => now),
      (line) => lines.push(line),
      () => now,
    );
    const started = Date.now();
    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push((await limiter.limit('auth', 'ip:203.0.113.9')).success);
    expect(decisions).toEqual([true, true, true, false, false]);
    expect(Date.now() - started).toBeLessThan(5 * 1200);
    expect(lines).toHaveLength(1);
    now += FALLBACK_LOG_INTERVAL_MS;
    await limiter.limit('auth', 'ip:203.0.113.9');
    expect(lines.map((line) => line.fallbacks)).toEqual([1, 5]);
  });
});
