import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis/cloudflare';

/** Route classes with their own budgets. */
export const RATE_CLASSES = ['auth', 'write', 'playback', 'upload'] as const;
export type RateClass = (typeof RATE_CLASSES)[number];

export interface RateRule {
  requests: number;
  windowSeconds: number;
}

export const DEFAULT_RULES: Record<RateClass, RateRule> = {
  // Sign-in, sign-up and refresh: brute force and account spam.
  auth: { requests: 10, windowSeconds: 60 },
  // API writes other than upload chunks.
  write: { requests: 120, windowSeconds: 60 },
  // Playback issuance: each call mints tokens and may hit the origin.
  playback: { requests: 60, windowSeconds: 60 },
  // tus chunks: many per upload, so a far larger budget.
  upload: { requests: 2000, windowSeconds: 60 },
};

export interface RateDecision {
  success: boolean;
  limit: number;
  remaining: number;
  /** Unix milliseconds when the window frees up. */
  reset: number;
}

export interface RateLimiter {
  readonly backend: 'upstash' | 'memory';
  limit(rateClass: RateClass, identifier: string): Promise<RateDecision>;
}

/** Which class a request falls in, or undefined when it is not limited (reads, playback files). */
export function classify(method: string, path: string): RateClass | undefined {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return undefined;
  if (/^\/api\/v1\/auth\/(login|register|refresh)$/.test(path)) return 'auth';
  if (/^\/api\/v1\/videos\/[^/]+\/playback$/.test(path)) return 'playback';
  if (path.startsWith('/api/v1/uploads')) return 'upload';
  if (path.startsWith('/api/')) return 'write';
  return undefined;
}

/** How long one limiter call may wait on Redis before the isolate's memory limits decide. */
export const REDIS_TIMEOUT_MS = 1000;

/** Sliding windows in Redis through Upstash's REST API, shared by every edge location. */
export function createUpstashLimiter(
  url: string,
  token: string,
  rules: Record<RateClass, RateRule>,
): RateLimiter {
  // Fail in about a second, not after upstash's five retries with growing backoff (~12 s): the
  // caller then decides in memory (see withMemoryFallback).
  const redis = new Redis({
    url,
    token,
    retry: { retries: 1, backoff: () => 50 },
    signal: () => AbortSignal.timeout(REDIS_TIMEOUT_MS),
  });
  const limiters = Object.fromEntries(
    RATE_CLASSES.map((rateClass) => [
      rateClass,
      new Ratelimit({
        redis,
        prefix: `vidra:rl:${rateClass}`,
        limiter: Ratelimit.slidingWindow(rules[rateClass].requests, `${rules[rateClass].windowSeconds} s`),
        analytics: false,
        // Ratelimit's own timeout lets the request through (fails open); the signal above bounds it.
        timeout: 0,
      }),
    ]),
  ) as Record<RateClass, Ratelimit>;
  return {
    backend: 'upstash',
    async limit(rateClass, identifier) {
      const { success, limit, remaining, reset } = await limiters[rateClass].limit(identifier);
      return { success, limit, remaining, reset };
    },
  };
}

/**
 * Fixed windows in isolate memory, for when no Redis is configured: per-location and reset by
 * restarts, but better than no limit at all.
 */
export function createMemoryLimiter(
  rules: Record<RateClass, RateRule>,
  now: () => number = Date.now,
): RateLimiter {
  const windows = new Map<string, { count: number; reset: number }>();
  return {
    backend: 'memory',
    async limit(rateClass, identifier) {
      const rule = rules[rateClass];
      const key = `${rateClass}:${identifier}`;
      const time = now();
      let window = windows.get(key);
      if (!window || window.reset <= time) {
        window = { count: 0, reset: time + rule.windowSeconds * 1000 };
        windows.set(key, window);
        if (windows.size > 50_000) for (const [k, w] of windows) if (w.reset <= time) windows.delete(k);
      }
      window.count++;
      return {
        success: window.count <= rule.requests,
        limit: rule.requests,
        remaining: Math.max(0, rule.requests - window.count),
        reset: window.reset,
      };
    },
  };
}

/** Parse an override such as `5/60` (5 requests per 60 seconds). */
export function parseRule(raw: string | undefined, fallback: RateRule): RateRule {
  const match = /^(\d+)\/(\d+)$/.exec(raw?.trim() ?? '');
  return match ? { requests: Number(match[1]), windowSeconds: Number(match[2]) } : fallback;
}

/** At most one log line per this many ms while the shared limiter is failing. */
export const FALLBACK_LOG_INTERVAL_MS = 60_000;

/**
 * Shared limits first; while they fail (Redis or its REST bridge down), every class falls back to
 * the isolate's memory windows with the same budgets, never to unlimited: sign-in guesses stay
 * throttled per location. `log` hears the first failure and then at most one line a minute, with
 * how many calls fell back since the last line.
 */
export function withMemoryFallback(
  shared: RateLimiter,
  memory: RateLimiter,
  log: (line: { msg: string; fallbacks: number; error: string }) => void,
  now: () => number = Date.now,
): RateLimiter {
  let fallbacks = 0;
  let loggedAt = Number.NEGATIVE_INFINITY;
  return {
    backend: shared.backend,
    async limit(rateClass, identifier) {
      try {
        return await shared.limit(rateClass, identifier);
      } catch (error) {
        fallbacks++;
        if (now() - loggedAt >= FALLBACK_LOG_INTERVAL_MS) {
          log({ msg: 'shared rate limits unavailable; limiting in memory', fallbacks, error: String(error) });
          loggedAt = now();
          fallbacks = 0;
        }
        return memory.limit(rateClass, identifier);
      }
    },
  };
}
