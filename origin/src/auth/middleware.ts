import type { Context, MiddlewareHandler } from 'hono';
import { UnauthorizedError } from '../lib/errors.js';
import type { AppEnv } from '../lib/http.js';
import { assertNotSuspended } from '../services/accounts/suspension.js';
import { type Viewer, viewerOfToken } from './access-tokens.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Reads `Authorization: Bearer <jwt>` when present. A missing header leaves the caller anonymous;
 * a present but invalid token is rejected with 401 so clients know to refresh. Writes by a
 * suspended account are refused (403) even while its last access token is still valid.
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    c.set('viewer', undefined);
    const header = c.req.header('authorization');
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1]) throw new UnauthorizedError('Send the token as `Authorization: Bearer <token>`');
      const viewer = await viewerOfToken(c.get('services').accessTokens, match[1]);
      if (!READS.has(c.req.method)) await assertNotSuspended(c.get('services'), viewer.userId);
      c.set('viewer', viewer);
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
