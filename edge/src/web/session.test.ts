import { describe, expect, it } from 'vitest';
import type { PlaybackAnswer } from '../../test/real-client.js';
import { BASE, cookiesOf, postForm, signIn, WEB, web } from '../../test/web-client.js';
import { jwtExpiry } from './session.js';

/** The `next` values of issue 9 that must never leave the site. */
const OFF_SITE_NEXT = [
  '/\t/evil.example/',
  '/\\evil.example/',
  '//evil.example/',
  'https://evil.example/',
  '/x%0d%0aSet-Cookie:a=1',
  '/x\r\nSet-Cookie:a=1',
  '%2F%2Fevil.example',
  '/%5Cevil.example',
  'javascript:alert(1)',
];

const cookieValue = (cookie: string, name: string) => new RegExp(`${name}=([^;]+)`).exec(cookie)?.[1] ?? '';

describe('sessions at the edge', () => {
  it('signs in through the form: HttpOnly, Secure, SameSite=Lax cookies, then on to `next`', async () => {
    const res = await postForm('/login', {
      email: WEB.owner.email,
      password: WEB.owner.password,
      next: '/upload',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/upload');
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(3);
    for (const [name, cookie] of [
      ['vidra_at', cookies[0]],
      ['vidra_rt', cookies[1]],
      ['vidra_sid', cookies[2]],
    ]) {
      expect(cookie).toMatch(
        new RegExp(`^${name}=[^;]+; Max-Age=\\d+; Path=/; HttpOnly; Secure; SameSite=Lax$`),
      );
    }
  });

  it('refuses a sign-in form posted from another site, without calling the API', async () => {
    const foreign = await postForm(
      '/login',
      { email: WEB.owner.email, password: WEB.owner.password },
      {
        origin: 'https://evil.example',
      },
    );
    expect(foreign.status).toBe(403);
    expect(foreign.headers.getSetCookie()).toEqual([]);
    expect(await foreign.text()).toContain('This form was sent from another site');
    const noOrigin = await web('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
      body: new URLSearchParams({ email: WEB.owner.email, password: WEB.owner.password }).toString(),
    });
    expect(noOrigin.status).toBe(403);
  });

  it("shows the API's error on a wrong password, keeping the email but never the password", async () => {
    const res = await postForm('/login', { email: WEB.other.email, password: 'not the password at all' });
    expect(res.status).toBe(401);
    const page = await res.text();
    expect(page).toContain('role="alert"');
    expect(page).toContain(`value="${WEB.other.email}"`);
    expect(page).not.toContain('not the password at all');
  });

  it('puts registration field errors next to their fields', async () => {
    const res = await postForm('/register', { email: 'fresh@example.com', username: 'x', password: 'short' });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toMatch(
      /<input[^>]*id="username"[^>]*aria-describedby="username-hint username-error"[^>]*aria-invalid="true"/,
    );
    expect(page).toContain('<p class="field-error" id="password-error">Use at least 10 characters</p>');
    expect(page).toContain('value="fresh@example.com"');
  });

  it('never redirects off-site, nor answers 5xx, whatever `next` is (GET and POST /login, /channels/new)', async () => {
    const cookie = await signIn('other');
    for (const next of OFF_SITE_NEXT) {
      const query = `next=${encodeURIComponent(next)}`;
      const signedIn = await web(`/login?${query}`, { headers: { cookie } });
      expect(signedIn.status, next).toBe(303);
      expect(signedIn.headers.get('location'), next).toBe('/');
      const posted = await postForm('/login', { email: WEB.other.email, password: WEB.other.password, next });
      expect(posted.headers.get('location'), next).toBe('/');
      const channel = await web(`/channels/new?${query}`, { headers: { cookie } });
      expect(channel.status, next).toBe(200);
      expect(await channel.text()).not.toMatch(/name="next" value="[^/]/);
    }
    const good = await web('/login?next=%2Fw%2Fabc%3Ft%3D1', { headers: { cookie } });
    expect(good.headers.get('location')).toBe('/w/abc?t=1');
  });

  it('refreshes an expired session from the refresh cookie and rotates both cookies', async () => {
    const cookie = await signIn('other');
    const refreshOnly = `vidra_rt=${cookieValue(cookie, 'vidra_rt')}`;
    const res = await web('/', { headers: { cookie: refreshOnly } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Sign out <span class="username">@other_');
    const rotated = cookiesOf(res);
    expect(cookieValue(rotated, 'vidra_at')).not.toBe('');
    expect(jwtExpiry(cookieValue(rotated, 'vidra_at'))).toBeGreaterThan(Date.now());
    expect(cookieValue(rotated, 'vidra_rt')).not.toBe(cookieValue(cookie, 'vidra_rt'));
  });

  it('shares one refresh between racing requests of the same browser', async () => {
    const cookie = await signIn('other');
    const stale = `vidra_rt=${cookieValue(cookie, 'vidra_rt')}; vidra_sid=${cookieValue(cookie, 'vidra_sid')}`;
    const [first, second] = await Promise.all([
      web('/', { headers: { cookie: stale } }),
      web('/', { headers: { cookie: stale } }),
    ]);
    for (const res of [first, second])
      expect(await res.text()).toContain('Sign out <span class="username">@other_');
    expect(cookieValue(cookiesOf(second), 'vidra_rt')).toBe(cookieValue(cookiesOf(first), 'vidra_rt'));
    expect(cookieValue(cookiesOf(first), 'vidra_sid')).toBe(cookieValue(cookie, 'vidra_sid'));
  });

  it("never hands a browser's rotated tokens to someone else presenting the spent refresh token", async () => {
    const cookie = await signIn('other');
    const spent = cookieValue(cookie, 'vidra_rt');
    const victim = await web('/', {
      headers: { cookie: `vidra_rt=${spent}; vidra_sid=${cookieValue(cookie, 'vidra_sid')}` },
    });
    expect(await victim.text()).toContain('Sign out');
    for (const attacker of [`vidra_rt=${spent}`, `vidra_rt=${spent}; vidra_sid=guessed-browser-id`]) {
      const page = await web('/', { headers: { cookie: attacker } });
      expect(await page.text()).toContain('>Sign in</a>');
      expect(cookiesOf(page)).not.toContain(cookieValue(cookiesOf(victim), 'vidra_rt'));
      const api = await web('/api/v1/users/me', { headers: { cookie: attacker } });
      expect(api.status).toBe(401);
      expect(api.headers.getSetCookie()).toEqual([]);
    }
  });

  it('clears the cookies when the refresh token is no good', async () => {
    const res = await web('/', { headers: { cookie: 'vidra_rt=bogus-refresh-token' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('>Sign in</a>');
    expect(res.headers.getSetCookie().every((c) => c.includes('Max-Age=0'))).toBe(true);
  });

  it('signs out: the refresh token is revoked and both cookies are cleared', async () => {
    const cookie = await signIn('other');
    const res = await web('/logout', { method: 'POST', headers: { cookie, origin: BASE } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.getSetCookie()).toHaveLength(3);
    expect(res.headers.getSetCookie().every((c) => /^vidra_(at|rt|sid)=; Max-Age=0;/.test(c))).toBe(true);
    const refresh = await web('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: cookieValue(cookie, 'vidra_rt') }),
    });
    expect(refresh.status).toBe(401);
  });
});

describe('cookie-to-bearer bridge for /api', () => {
  it('lets same-origin scripts call the API as the signed-in user', async () => {
    const cookie = await signIn('owner');
    const me = await web('/api/v1/users/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect((await me.json<{ username: string }>()).username).toBe(WEB.owner.username);
    const created = await web('/api/v1/videos', {
      method: 'POST',
      headers: { cookie, origin: BASE, 'content-type': 'application/json' },
      body: JSON.stringify({ channelId: await ownerChannelId(cookie), title: 'Bridged', privacy: 'private' }),
    });
    expect(created.status).toBe(201);
  });

  it('does not bridge state-changing requests from other origins (CSRF)', async () => {
    const cookie = await signIn('owner');
    const res = await web('/api/v1/channels', {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ handle: 'csrf_made', displayName: 'CSRF' }),
    });
    expect(res.status).toBe(401);
  });

  it('leaves an explicit Authorization header alone', async () => {
    const cookie = await signIn('owner');
    const res = await web('/api/v1/users/me', { headers: { cookie, authorization: 'Bearer not.a.jwt' } });
    expect(res.status).toBe(401);
  });

  it('issues playback for a signed-in owner of a private video through the cookie', async () => {
    const cookie = await signIn('owner');
    const headers = { cookie, origin: BASE, 'content-type': 'application/json' };
    const res = await web(`/api/v1/videos/${WEB.videos.private}/playback`, {
      method: 'POST',
      headers,
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect((await res.json<PlaybackAnswer>()).hls).toMatch(
      /^https:\/\/video\.example\.com\/play\/.+\/master\.m3u8$/,
    );
    const anonymous = await web(`/api/v1/videos/${WEB.videos.private}/playback`, {
      method: 'POST',
      body: '{}',
    });
    expect(anonymous.status).toBe(404);
  });
});

async function ownerChannelId(cookie: string): Promise<string> {
  const res = await web('/api/v1/users/me/channels', { headers: { cookie } });
  return (await res.json<{ items: [{ id: string }] }>()).items[0].id;
}
