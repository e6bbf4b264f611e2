import type { MiddlewareHandler } from 'hono';
import { clientIp, type EdgeEnv } from './context.js';
import { errorResponse } from './errors.js';
import { classify } from './ratelimit.js';

/**
 * Limit each class of route per user (when signed in) or per client address. Sign-in routes are
 * always keyed by address, since the caller is not known yet. A Redis outage falls back to memory
 * limits inside the limiter (withMemoryFallback); this catch is only the last resort for a limiter
 * that throws anyway, so that a broken limiter never becomes an outage of Vidra.
 */
export function rateLimit(): MiddlewareHandler<EdgeEnv> {
  return async function rateLimit(c, next) {
    const rateClass = classify(c.req.method, c.req.path);
    if (!rateClass) return next();
    const ip = clientIp(c) || 'unknown';
    const viewer = c.var.viewer;
    const identifier = rateClass !== 'auth' && viewer ? `user:${viewer.userId}` : `ip:${ip}`;
    let decision: Awaited<ReturnType<typeof c.var.state.limiter.limit>>;
    try {
      decision = await c.var.state.limiter.limit(rateClass, identifier);
    } catch (error) {
      console.error(
        JSON.stringify({ msg: 'rate limiter unavailable', requestId: c.var.requestId, error: String(error) }),
      );
      return next();
    }
    const headers = {
      'x-ratelimit-limit': String(decision.limit),
      'x-ratelimit-remaining': String(decision.remaining),
      'x-ratelimit-reset': String(Math.ceil(decision.reset / 1000)),
    };
    if (!decision.success) {
      const res = errorResponse(
        'too_many_requests',
        `Too many ${rateClass} requests; slow down`,
        c.var.requestId,
      );
      res.headers.set('retry-after', String(Math.max(1, Math.ceil((decision.reset - Date.now()) / 1000))));
      for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
      return res;
    }
    await next();
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
  };
}
