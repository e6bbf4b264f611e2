import type { Context } from 'hono';
import { generateCookie, getCookie } from 'hono/cookie';
import type { SessionDto } from '../../../protocol/api/accounts.js';
import { SessionMiniSchema } from '../../../protocol/api/accounts-mini.js';
import { constantTimeEqual } from '../../../protocol/client-address.js';
import type { EdgeEnv, EdgeViewer } from '../context.js';
import { callApi } from './api.js';

/** Cookie holding the access JWT; it expires with the token. */
export const ACCESS_COOKIE = 'vidra_at';
/** Cookie holding the single-use refresh token. */
export const REFRESH_COOKIE = 'vidra_rt';
/**
 * Cookie naming the browser a session was signed in on: a random id, minted at sign-in and kept
 * across refreshes. It binds the refresh memo to the browser whose refresh it remembers.
 */
export const BROWSER_COOKIE = 'vidra_sid';
/** The cookies the edge keeps for itself (never forwarded to the API). */
export const SESSION_COOKIES = [ACCESS_COOKIE, REFRESH_COOKIE, BROWSER_COOKIE] as const;

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
 * an upload chunk and an SSE stream) must share one refresh instead of racing. The outcome is
 * only ever handed to the browser that did the refresh (same `vidra_sid`): someone else holding
 * the spent refresh token gets nothing, not the victim's new tokens. Per isolate only.
 */
const recentRefreshes = new Map<
  string,
  { browser: string; result: Promise<SessionTokens | undefined>; until: number }
>();
const REFRESH_MEMORY_MS = 60_000;

/** A fresh browser id: 256 random bits, URL-safe. */
export function newBrowserId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

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

/**
 * `Set-Cookie` values storing a session on browser `browser`: HttpOnly (no script reads them),
 * SameSite=Lax against CSRF. The browser id lives as long as the refresh token.
 */
export function sessionCookies(
  c: Context<EdgeEnv>,
  tokens: SessionTokens,
  browser = newBrowserId(),
): string[] {
  const base = { path: '/', httpOnly: true, sameSite: 'Lax', secure: secure(c) } as const;
  const refreshAge = maxAge(tokens.refreshTokenExpiresAt);
  return [
    generateCookie(ACCESS_COOKIE, tokens.accessToken, {
      ...base,
      maxAge: maxAge(tokens.accessTokenExpiresAt),
    }),
    generateCookie(REFRESH_COOKIE, tokens.refreshToken, { ...base, maxAge: refreshAge }),
    generateCookie(BROWSER_COOKIE, browser, { ...base, maxAge: refreshAge }),
  ];
}

/** `Set-Cookie` values that delete the session cookies. */
export function clearedCookies(c: Context<EdgeEnv>): string[] {
  const base = { path: '/', httpOnly: true, sameSite: 'Lax', secure: secure(c), maxAge: 0 } as const;
  return SESSION_COOKIES.map((name) => generateCookie(name, '', base));
}

/**
 * Spend a refresh token, or reuse the outcome of a refresh of the same token a moment ago by this
 * same browser. `'not-yours'` when that token was just spent by another browser (or by a request
 * that carried no browser id): the caller then gets no session, and no cookie is touched.
 */
function refresh(
  c: Context<EdgeEnv>,
  refreshToken: string,
  browser: string | undefined,
): { browser: string; result: Promise<SessionTokens | undefined> } | 'not-yours' {
  const now = Date.now();
  for (const [key, entry] of recentRefreshes) if (entry.until < now) recentRefreshes.delete(key);
  const known = recentRefreshes.get(refreshToken);
  if (known) {
    return browser !== undefined && constantTimeEqual(known.browser, browser) ? known : 'not-yours';
  }
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
  // A session from before browser ids existed gets one now; its racing twins cannot share it.
  const entry = { browser: browser ?? newBrowserId(), result, until: now + REFRESH_MEMORY_MS };
  recentRefreshes.set(refreshToken, entry);
  return entry;
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
  const spent = refresh(c, refreshToken, getCookie(c, BROWSER_COOKIE) || undefined);
  // Not this browser's refresh: anonymous, and the cookies stay (a racing twin sets the new ones).
  if (spent === 'not-yours') return { token: undefined, cookies: [] };
  const tokens = await spent.result;
  if (!tokens) return { token: undefined, cookies: clearedCookies(c) };
  return { token: tokens.accessToken, cookies: sessionCookies(c, tokens, spent.browser) };
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

/** The session `getSession` already computed for this request, without computing one. */
export function loadedSession(c: Context<EdgeEnv>): Promise<Session> | undefined {
  return sessions.get(c);
}
