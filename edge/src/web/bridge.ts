import type { Context, MiddlewareHandler } from 'hono';
import type { EdgeEnv } from '../context.js';
import { ACCESS_COOKIE, freshAccessToken, REFRESH_COOKIE, SESSION_COOKIES } from './session.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request was sent by a page of this very origin. Browsers send `Origin` on every
 * non-GET request (forms and fetch alike), so an absent or foreign one on a state-changing request
 * means another site is trying to ride on the user's cookies. `Referer` is the fallback for the
 * rare client that strips `Origin`; `Sec-Fetch-Site` settles it when present.
 */
export function isSameOrigin(c: Context<EdgeEnv>): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site && site !== 'same-origin') return false;
  const expected = new URL(c.req.url).origin;
  const origin = c.req.header('origin');
  if (origin) return origin === expected;
  const referer = c.req.header('referer');
  if (!referer) return false;
  try {
    return new URL(referer).origin === expected;
  } catch {
    return false;
  }
}

/** The `Cookie` header without the session cookies, which are the edge's business only. */
function withoutSessionCookies(header: string): string {
  return header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '' && !SESSION_COOKIES.some((name) => part.startsWith(`${name}=`)))
    .join('; ');
}

/**
 * Cookie-to-bearer bridge for same-origin `/api/*` calls made by the web app's scripts (tus
 * upload, SSE, playback issuance): a request that carries the session cookies and no
 * `Authorization` header gets `Authorization: Bearer <access token>`, refreshed when it is about
 * to expire. The browser never sees a token, so a script injected into a page cannot steal one,
 * and `EventSource`, which cannot send headers, still works. API clients that send their own
 * bearer token are left exactly as they were.
 *
 * CSRF: the cookies are SameSite=Lax, so other sites' subrequests never carry them, and unsafe
 * methods are only bridged when `isSameOrigin` holds; otherwise they reach the API anonymous.
 * Must run before the edge's JWT check, which then verifies the bridged token like any other.
 */
export function cookieAuthBridge(): MiddlewareHandler<EdgeEnv> {
  return async function cookieAuthBridge(c, next) {
    const cookieHeader = c.req.header('cookie') ?? '';
    if (!cookieHeader.includes(`${ACCESS_COOKIE}=`) && !cookieHeader.includes(`${REFRESH_COOKIE}=`)) {
      return next();
    }
    const headers = new Headers(c.req.raw.headers);
    const rest = withoutSessionCookies(cookieHeader);
    if (rest) headers.set('cookie', rest);
    else headers.delete('cookie');
    let cookies: string[] = [];
    const bridge = !c.req.header('authorization') && (SAFE_METHODS.has(c.req.method) || isSameOrigin(c));
    if (bridge) {
      const fresh = await freshAccessToken(c);
      cookies = fresh.cookies;
      if (fresh.token) headers.set('authorization', `Bearer ${fresh.token}`);
    }
    // Request headers are immutable in workerd; a copy with the same (streamed) body replaces it.
    c.req.raw = new Request(c.req.raw, { headers });
    await next();
    for (const cookie of cookies) c.res.headers.append('set-cookie', cookie);
  };
}
