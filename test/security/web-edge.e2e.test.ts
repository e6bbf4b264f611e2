import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiUser, type RunningPlatform, startPlatform } from '../support/platform.js';

// Through the real web app and edge of `npm start` (wrangler dev): the edge-side findings of issue 9.
let platform: RunningPlatform;
let edge: string;
const email = 'memo@example.com';
const password = 'a long password';

beforeAll(async () => {
  // Every client shares one address under wrangler dev (CLIENT_IP_SOURCE=none): room for the sign-ins.
  platform = await startPlatform({ RATE_LIMIT_AUTH: '200/60' });
  edge = platform.edgeUrl;
  await apiUser(edge, 'memo');
}, 130_000);
afterAll(() => platform?.stop());

/** `name=value` pairs of a response's Set-Cookie headers. */
const cookieMap = (res: Response) =>
  Object.fromEntries(res.headers.getSetCookie().map((c) => c.split(';')[0]?.split('=') as [string, string]));

async function signIn(): Promise<Record<string, string>> {
  const res = await fetch(`${edge}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: edge },
    body: new URLSearchParams({ email, password, next: '/' }).toString(),
  });
  expect(res.status).toBe(303);
  return cookieMap(res);
}
const asCookie = (pairs: Record<string, string | undefined>) =>
  Object.entries(pairs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

// Issue 9, 4: `next` redirected off-site (`/\t/evil.example/`), and CR/LF answered 500.
describe('open redirect', () => {
  const NEXT = [
    '/\t/evil.example/',
    '/\\evil.example/',
    '//evil.example/',
    'https://evil.example/',
    '/x\r\nSet-Cookie:a=1',
    '/x%0d%0aSet-Cookie:a=1',
    '%2F%2Fevil.example',
    '/%5Cevil.example',
    'javascript:alert(1)',
  ];

  it.each(NEXT)('%j never leaves the site and never answers 5xx', async (next) => {
    const cookie = asCookie(await signIn());
    const query = `next=${encodeURIComponent(next)}`;
    const answers = [
      await fetch(`${edge}/login?${query}`, { redirect: 'manual', headers: { cookie } }),
      await fetch(`${edge}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: edge },
        body: new URLSearchParams({ email, password, next }).toString(),
      }),
      await fetch(`${edge}/channels/new`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: edge, cookie },
        body: new URLSearchParams({
          handle: `h${Math.random().toString(36).slice(2, 9)}`,
          displayName: 'H',
          next,
        }).toString(),
      }),
    ];
    for (const res of answers) {
      // The body says which tier answered when it is a 5xx.
      expect(res.status, `${res.url}: ${res.status >= 500 ? await res.text() : ''}`).toBeLessThan(500);
      const location = res.headers.get('location');
      if (location !== null) {
        expect(new URL(location, edge).origin).toBe(edge);
        expect(location).toMatch(/^\/(?![/\\])/);
      }
    }
  });
});

// Issue 9, 5: /metrics, /readyz and the OpenAPI document listing internal routes were public.
describe('operator surfaces at the edge', () => {
  it.each(['/metrics', '/readyz', '/internal/v1/openapi.json'])(
    '%s answers 404 through the edge',
    async (path) => {
      const res = await fetch(`${edge}${path}`);
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
    },
  );

  it('the public OpenAPI document lists no /internal/ route', async () => {
    const res = await fetch(`${edge}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const paths = Object.keys((await res.json()).paths);
    expect(paths.length).toBeGreaterThan(5);
    expect(paths.filter((p) => p.startsWith('/internal'))).toEqual([]);
  });
});

// Issue 9, 6: /play/* responses and API JSON lacked X-Content-Type-Options: nosniff.
describe('nosniff', () => {
  it.each([
    '/',
    '/login',
    '/api/v1/videos',
    '/api/v1/videos/not-a-uuid',
    '/play/not.a.token/master.m3u8',
    '/metrics',
    '/static/vidra.css',
  ])('%s carries nosniff', async (path) => {
    const res = await fetch(`${edge}${path}`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

// Issue 9, 6: the refresh memo replayed a victim's new tokens to whoever presented the
// already-rotated refresh token within 60 s.
describe('refresh memo', () => {
  it('an attacker presenting a rotated refresh cookie gets nothing', async () => {
    const victim = await signIn();
    // The access cookie has lapsed: the next page refreshes, rotating the refresh token.
    const refreshed = await fetch(`${edge}/`, {
      headers: { cookie: asCookie({ vidra_rt: victim.vidra_rt, vidra_sid: victim.vidra_sid }) },
    });
    expect(await refreshed.text()).toContain('Sign out');
    const rotated = cookieMap(refreshed);
    expect(rotated.vidra_rt).toBeDefined();
    expect(rotated.vidra_rt).not.toBe(victim.vidra_rt);

    for (const stolen of [
      { vidra_rt: victim.vidra_rt },
      { vidra_rt: victim.vidra_rt, vidra_sid: 'forged' },
    ]) {
      const page = await fetch(`${edge}/`, { headers: { cookie: asCookie(stolen) } });
      expect(await page.text()).toContain('>Sign in</a>');
      const got = cookieMap(page);
      expect(got.vidra_at ?? '').not.toBe(rotated.vidra_at);
      expect(got.vidra_rt ?? '').not.toBe(rotated.vidra_rt);
      const me = await fetch(`${edge}/api/v1/users/me`, { headers: { cookie: asCookie(stolen) } });
      expect(me.status).toBe(401);
    }
    // The victim's new session still works.
    const me = await fetch(`${edge}/api/v1/users/me`, {
      headers: { cookie: asCookie({ vidra_at: rotated.vidra_at }) },
    });
    expect(me.status).toBe(200);
  });
});
