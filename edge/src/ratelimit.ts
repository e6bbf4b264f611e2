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

/** Sliding windows in Redis through Upstash's REST API, shared by every edge location. */
export function createUpstashLimiter(
  url: string,
  token: string,
  rules: Record<RateClass, RateRule>,
): RateLimiter {
  const redis = new Redis({ url, token });
  const limiters = Object.fromEntries(
    RATE_CLASSES.map((rateClass) => [
      rateClass,
      new Ratelimit({
        redis,
        prefix: `vidra:rl:${rateClass}`,
        limiter: Ratelimit.slidingWindow(rules[rateClass].requests, `${rules[rateClass].windowSeconds} s`),
        analytics: false,
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
