import type { Context, MiddlewareHandler } from 'hono';
import { UnauthorizedError } from '../lib/errors.js';
import type { AppEnv } from '../lib/http.js';
import { type Viewer, viewerOfToken } from './access-tokens.js';

/**
 * Reads `Authorization: Bearer <jwt>` when present. A missing header leaves the caller anonymous;
 * a present but invalid token is rejected with 401 so clients know to refresh.
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    c.set('viewer', undefined);
    const header = c.req.header('authorization');
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1]) throw new UnauthorizedError('Send the token as `Authorization: Bearer <token>`');
      c.set('viewer', await viewerOfToken(c.get('services').accessTokens, match[1]));
    }
    await next();
  };
}

/** The signed-in caller, or a 401. */
export function requireViewer(c: Context<AppEnv>): Viewer {
  const viewer = c.get('viewer');
  if (!viewer) throw new UnauthorizedError();
  return viewer;
}
