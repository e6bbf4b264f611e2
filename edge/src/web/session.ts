import type { Context } from 'hono';
import { generateCookie, getCookie } from 'hono/cookie';
import type { SessionDto } from '../../../protocol/api/accounts.js';
import { SessionMiniSchema } from '../../../protocol/api/accounts-mini.js';
import type { EdgeEnv, EdgeViewer } from '../context.js';
import { callApi } from './api.js';

/** Cookie holding the access JWT; it expires with the token. */
export const ACCESS_COOKIE = 'vidra_at';
/** Cookie holding the single-use refresh token. */
export const REFRESH_COOKIE = 'vidra_rt';

/** The tokens of what the auth endpoints answer (register, login, refresh): all the cookies need. */
export type SessionTokens = Omit<SessionDto, 'user'>;

/** The viewer of a page: their access token for API calls and who they are, both absent when signed out. */
export interface Session {
  token: string | undefined;
  viewer: EdgeViewer | undefined;
  /** `Set-Cookie` values the response must carry (rotated or cleared session cookies). */
  cookies: string[];
}

/** Refresh a token this long before it expires, so it cannot lapse between the edge and the origin. */
const EXPIRY_MARGIN_MS = 30_000;
/**
 * Recent refreshes by the refresh token they spent. Refresh tokens are single-use and reusing one
 * revokes the whole session, so requests that arrive together with the same old cookie (two tabs,
 * an upload chunk and an SSE stream) must share one refresh instead of racing. Per isolate only.
 */
const recentRefreshes = new Map<string, { result: Promise<SessionTokens | undefined>; until: number }>();
const REFRESH_MEMORY_MS = 60_000;

/** Unix milliseconds at which a JWT expires, read without verifying it (the origin verifies). */
export function jwtExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(atob((token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

const secure = (c: Context<EdgeEnv>) => new URL(c.req.url).protocol === 'https:';

function maxAge(isoDate: string): number {
  return Math.max(0, Math.floor((Date.parse(isoDate) - Date.now()) / 1000));
}

/** `Set-Cookie` values storing a session: HttpOnly (no script reads them), SameSite=Lax against CSRF. */
export function sessionCookies(c: Context<EdgeEnv>, tokens: SessionTokens): string[] {
  const base = { path: '/', httpOnly: true, sameSite: 'Lax', secure: secure(c) } as const;
  return [
    generateCookie(ACCESS_COOKIE, tokens.accessToken, {
      ...base,
      maxAge: maxAge(tokens.accessTokenExpiresAt),
    }),
    generateCookie(REFRESH_COOKIE, tokens.refreshToken, {
      ...base,
      maxAge: maxAge(tokens.refreshTokenExpiresAt),
    }),
  ];
}

/** `Set-Cookie` values that delete both session cookies. */
export function clearedCookies(c: Context<EdgeEnv>): string[] {
  const base = { path: '/', httpOnly: true, sameSite: 'Lax', secure: secure(c), maxAge: 0 } as const;
  return [generateCookie(ACCESS_COOKIE, '', base), generateCookie(REFRESH_COOKIE, '', base)];
}

/** Spend a refresh token, or reuse the outcome of a refresh of the same token a moment ago. */
function refresh(c: Context<EdgeEnv>, refreshToken: string): Promise<SessionTokens | undefined> {
  const now = Date.now();
  for (const [key, entry] of recentRefreshes) if (entry.until < now) recentRefreshes.delete(key);
  const known = recentRefreshes.get(refreshToken);
  if (known) return known.result;
  const result = callApi(c, '/api/v1/auth/refresh', SessionMiniSchema, {
    method: 'POST',
    body: { refreshToken },
  })
    .then((res) => (res.ok ? res.data : undefined))
    .catch(() => undefined);
  try {
    // Keep the refresh alive even if this request ends first: another may be waiting on it.
    c.executionCtx.waitUntil(result);
  } catch {
    // No execution context outside a real request (unit tests call the app directly).
  }
  recentRefreshes.set(refreshToken, { result, until: now + REFRESH_MEMORY_MS });
  return result;
}

/**
 * The caller's access token from the cookies, refreshed (and the cookies rotated) when it is
 * missing or about to expire. Returns the cookies to set; a failed refresh clears them.
 */
export async function freshAccessToken(
  c: Context<EdgeEnv>,
  options: { force?: boolean } = {},
): Promise<{ token: string | undefined; cookies: string[] }> {
  const access = getCookie(c, ACCESS_COOKIE);
  const refreshToken = getCookie(c, REFRESH_COOKIE);
  const expiry = access ? jwtExpiry(access) : undefined;
  if (access && !options.force && expiry !== undefined && expiry - Date.now() > EXPIRY_MARGIN_MS) {
    return { token: access, cookies: [] };
  }
  if (!refreshToken) return { token: undefined, cookies: access ? clearedCookies(c) : [] };
  const tokens = await refresh(c, refreshToken);
  if (!tokens) return { token: undefined, cookies: clearedCookies(c) };
  return { token: tokens.accessToken, cookies: sessionCookies(c, tokens) };
}

const sessions = new WeakMap<Context<EdgeEnv>, Promise<Session>>();

async function loadSession(c: Context<EdgeEnv>): Promise<Session> {
  let { token, cookies } = await freshAccessToken(c);
  if (!token) return { token: undefined, viewer: undefined, cookies };
  try {
    let result = await c.var.state.jwt.verify(token);
    if (!result.ok && cookies.length === 0) {
      // Not expired by its own claim, yet refused (e.g. signed with a retired key): try once more.
      ({ token, cookies } = await freshAccessToken(c, { force: true }));
      if (!token) return { token: undefined, viewer: undefined, cookies };
      result = await c.var.state.jwt.verify(token);
    }
    if (!result.ok) return { token: undefined, viewer: undefined, cookies: clearedCookies(c) };
    return { token, viewer: result.viewer, cookies };
  } catch {
    // The JWKS could not be fetched: treat the page as anonymous without signing the user out.
    return { token: undefined, viewer: undefined, cookies };
  }
}

/**
 * The page viewer's session, computed once per request. Any rotated cookies are queued on the
 * context, so whatever response the handler builds with `c` carries them.
 */
export async function getSession(c: Context<EdgeEnv>): Promise<Session> {
  let session = sessions.get(c);
  if (!session) {
    session = loadSession(c).then((s) => {
      for (const cookie of s.cookies) c.header('set-cookie', cookie, { append: true });
      return s;
    });
    sessions.set(c, session);
  }
  return session;
}
