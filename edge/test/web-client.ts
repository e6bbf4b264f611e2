import { inject } from 'vitest';
import type { EdgeBindings } from '../src/env.js';
import worker from '../src/index.js';

/** The seeded origin of `web-origin.ts`: users, their credentials and one video per case. */
export const WEB = inject('webOrigin');

/** Bindings of an edge in front of it, with playback configured so lists can sign thumbnails. */
export const WEB_ENV: EdgeBindings = {
  ORIGINS: WEB.url,
  INTERNAL_API_TOKEN: WEB.internalToken,
  PLAYBACK_KEYS: `web:${'w'.repeat(40)}`,
  // As on Cloudflare, where the platform sets CF-Connecting-IP.
  CLIENT_IP_SOURCE: 'cf-connecting-ip',
};

/** Where the tests pretend the edge is served; https, so session cookies must be Secure. */
export const BASE = 'https://video.example.com';

// Each request comes from its own documentation-range address, so the per-address sign-in rate
// limit never couples one test to another.
let address = 0;
const nextAddress = () => `203.0.113.${(address++ % 250) + 1}`;

/** Send a request through the worker entry point, inside workerd, as a browser on BASE would. */
export async function web(
  path: string,
  init: RequestInit = {},
  env: EdgeBindings = WEB_ENV,
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('cf-connecting-ip')) headers.set('cf-connecting-ip', nextAddress());
  return worker.fetch(new Request(`${BASE}${path}`, { ...init, headers }), env);
}

/** `name=value` pairs of a response's Set-Cookie headers, as a Cookie request header. */
export function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

/** POST a urlencoded form from a page of BASE (same origin, as browsers mark it). */
export function postForm(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return web(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Sign in through the `/login` form and return the session cookies as a Cookie header. */
export async function signIn(who: 'owner' | 'other' | 'newcomer'): Promise<string> {
  const res = await postForm('/login', { email: WEB[who].email, password: WEB[who].password, next: '/' });
  if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}: ${await res.text()}`);
  return cookiesOf(res);
}

/** Every `<input|select|textarea id=X>` that is not hidden and has no `<label for=X>`. */
export function unlabelledControls(page: string): string[] {
  const ids = [
    ...page.matchAll(/<(?:input|select|textarea)\b(?![^>]*type="hidden")[^>]*\bid="([^"]+)"/g),
  ].map((m) => m[1]);
  const labelled = new Set([...page.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1]));
  return ids.filter((id): id is string => id !== undefined && !labelled.has(id));
}
