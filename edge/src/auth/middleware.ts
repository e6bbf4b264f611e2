import type { MiddlewareHandler } from 'hono';
import { ACCESS_TOKEN_FAILURE_MESSAGES } from '../../../protocol/access-token-verifier.js';
import type { EdgeEnv } from '../context.js';
import { errorResponse } from '../errors.js';

/**
 * Verify `Authorization: Bearer <jwt>` at the edge: a bad token never reaches an origin, a good
 * one is forwarded untouched and its viewer is known to the edge (playback, rate limits). Runner
 * tokens are not JWTs and only ever travel the internal network, so runner routes are skipped.
 */
export function verifyAccessToken(): MiddlewareHandler<EdgeEnv> {
  return async function verifyAccessToken(c, next) {
    c.set('viewer', undefined);
    const header = c.req.header('authorization');
    // Other schemes are not ours to judge; the origin answers them.
    if (header && /^Bearer\s/i.test(header) && !c.req.path.startsWith('/api/v1/runners/')) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1]) {
        return errorResponse(
          'unauthorized',
          'Send the token as `Authorization: Bearer <token>`',
          c.var.requestId,
        );
      }
      const result = await c.var.state.jwt.verify(match[1]);
      if (!result.ok) {
        return errorResponse('unauthorized', ACCESS_TOKEN_FAILURE_MESSAGES[result.reason], c.var.requestId);
      }
      c.set('viewer', result.viewer);
    }
    await next();
  };
}
