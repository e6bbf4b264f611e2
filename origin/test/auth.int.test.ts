import { eq } from 'drizzle-orm';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingKeys } from '../../db/schema/index.js';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from '../../protocol/auth.js';
import { createTestApp, DRIVERS, randomIp, type TestApp } from './harness.js';

describe.each(DRIVERS)('accounts on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t.close());

  it('registers, then signs in and reads /users/me', async () => {
    const user = await t.signUp('reg');
    expect(user.session.user).toMatchObject({ email: user.email, username: user.username });
    expect(user.session.refreshToken).toMatch(/^[0-9a-f-]{36}\.[\w-]{43}$/);

    const login = await t.call('POST', '/api/v1/auth/login', {
      body: { email: user.email.toUpperCase(), password: user.password },
    });
    expect(login.status).toBe(200);
    const me = await t.call('GET', '/api/v1/users/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.userId, email: user.email, role: expect.any(String) });
    expect(me.body).not.toHaveProperty('passwordHash');
  });

  it('rejects a wrong password and an unknown email alike', async () => {
    const user = await t.signUp('wrong');
    const wrong = await t.call('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: 'nope-nope-nope' },
    });
    const unknown = await t.call('POST', '/api/v1/auth/login', {
      body: { email: 'nobody-here@example.com', password: 'whatever-123' },
    });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({
        code: 'unauthorized',
        message: 'The email or password is wrong',
      });
      expect(res.body.error.requestId).toBeTruthy();
    }
  });

  it('refuses a duplicate username regardless of case; a duplicate email answers like a new one', async () => {
    const user = await t.signUp('dup');
    const sameEmail = await t.call('POST', '/api/v1/auth/register', {
      body: { email: user.email.toUpperCase(), username: 'someone_else_1', password: 'long-enough-pw' },
    });
    expect(sameEmail.status).toBe(202); // no oracle: test/security/account-enumeration.int.test.ts
    const sameName = await t.call('POST', '/api/v1/auth/register', {
      body: {
        email: 'other-dup@example.com',
        username: user.username.toUpperCase(),
        password: 'long-enough-pw',
      },
    });
    expect(sameName.status).toBe(409);
    expect(sameName.body.error.fields[0].path).toBe('username');
  });

  it('answers malformed input with 400 and an error per field', async () => {
    const res = await t.call('POST', '/api/v1/auth/register', {
      body: { email: 'not-an-email', username: 'x', password: 'short' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const paths = res.body.error.fields.map((f: { path: string }) => f.path).sort();
    expect(paths).toEqual(['email', 'password', 'username']);

    const notJson = await t.app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toMatch(/bad_request|validation_failed/);
  });

  it('rotates refresh tokens, and reuse of an old one revokes the whole family', async () => {
    const user = await t.signUp('rot');
    const first = user.session.refreshToken;
    const r1 = await t.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: first } });
    expect(r1.status).toBe(200);
    expect(r1.body.refreshToken).not.toBe(first);
    const r2 = await t.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: r1.body.refreshToken } });
    expect(r2.status).toBe(200);

    // Replaying the first token: someone stole it. The newest token must die with it.
    const replay = await t.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: first } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toMatch(/already used/);
    const afterReplay = await t.call('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: r2.body.refreshToken },
    });
    expect(afterReplay.status).toBe(401);
    expect(afterReplay.body.error.message).toMatch(/session has ended/);

    // Other sign-ins of the same user are separate families and keep working.
    const other = await t.call('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: user.password },
    });
    const otherRefresh = await t.call('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: other.body.refreshToken },
    });
    expect(otherRefresh.status).toBe(200);
  });

  it('rejects forged and garbage refresh tokens', async () => {
    const user = await t.signUp('forge');
    const [id] = user.session.refreshToken.split('.');
    const forged = await t.call('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: `${id}.${'A'.repeat(43)}` },
    });
    expect(forged.status).toBe(401);
    const garbage = await t.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: 'garbage' } });
    expect(garbage.status).toBe(401);
    // The forgery must not have burned the real token.
    const real = await t.call('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: user.session.refreshToken },
    });
    expect(real.status).toBe(200);
  });

  it('logs out: the refresh token stops working, and logout is idempotent', async () => {
    const user = await t.signUp('out');
    const out = await t.call('POST', '/api/v1/auth/logout', {
      body: { refreshToken: user.session.refreshToken },
    });
    expect(out.status).toBe(204);
    const again = await t.call('POST', '/api/v1/auth/logout', {
      body: { refreshToken: user.session.refreshToken },
    });
    expect(again.status).toBe(204);
    const refresh = await t.call('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: user.session.refreshToken },
    });
    expect(refresh.status).toBe(401);
  });

  it('delays repeated failed logins from one address with 429 and Retry-After, even with the right password', async () => {
    const user = await t.signUp('brute');
    const ip = randomIp();
    for (let i = 0; i < 5; i++) {
      const res = await t.call('POST', '/api/v1/auth/login', {
        ip,
        body: { email: user.email, password: `guess-${i}-xx` },
      });
      expect(res.status).toBe(401);
    }
    const delayed = await t.call('POST', '/api/v1/auth/login', {
      ip,
      body: { email: user.email, password: user.password },
    });
    expect(delayed.status).toBe(429);
    expect(delayed.body.error.code).toBe('too_many_requests');
    expect(Number(delayed.headers.get('retry-after'))).toBeGreaterThan(0);
    // The owner elsewhere is not locked out (test/security/brute-force.int.test.ts has the rest).
    const elsewhere = await t.call('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: user.password },
    });
    expect(elsewhere.status).toBe(200);
  });
});

describe.each(DRIVERS)('access tokens and JWKS on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t.close());

  const claims = (sub: string) => ({ role: 'admin', username: 'mallory', sub });

  it('publishes ES256 public keys only, and issued tokens name one of them', async () => {
    const user = await t.signUp('jwks');
    const jwks = await t.call('GET', '/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    const header = JSON.parse(Buffer.from(user.token.split('.')[0] as string, 'base64url').toString());
    expect(header.alg).toBe('ES256');
    const key = jwks.body.keys.find((k: { kid: string }) => k.kid === header.kid);
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(key).not.toHaveProperty('d');
  });

  it('rejects a token signed by a key it does not know', async () => {
    const user = await t.signUp('unknownkid');
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT(claims(user.userId))
      .setProtectedHeader({ alg: 'ES256', kid: 'attacker-key' })
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const res = await t.call('GET', '/api/v1/users/me', { token });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('rejects a token re-signed by an attacker key that reuses a real kid', async () => {
    const user = await t.signUp('kidreuse');
    const kid = JSON.parse(Buffer.from(user.token.split('.')[0] as string, 'base64url').toString()).kid;
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT(claims(user.userId))
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    expect((await t.call('GET', '/api/v1/users/me', { token })).status).toBe(401);
  });

  it('rejects alg: none, tampered payloads and malformed headers', async () => {
    const user = await t.signUp('none');
    const [header, payload] = user.token.split('.') as [string, string, string];
    const noneHeader = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const none = await t.call('GET', '/api/v1/users/me', { token: `${noneHeader}.${payload}.` });
    expect(none.status).toBe(401);

    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const elevated = Buffer.from(JSON.stringify({ ...decoded, role: 'admin', sub: user.userId })).toString(
      'base64url',
    );
    const signature = user.token.split('.')[2];
    const tampered = await t.call('GET', '/api/v1/users/me', { token: `${header}.${elevated}.${signature}` });
    expect(tampered.status).toBe(401);

    const res = await t.app.request('/api/v1/users/me', { headers: { authorization: 'Basic abc' } });
    expect(res.status).toBe(401);
  });

  it('rejects an expired token', async () => {
    const user = await t.signUp('expired');
    const { kid, privateKey } = await t.services.keys.activeKey();
    const token = await new SignJWT(claims(user.userId))
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(privateKey);
    const res = await t.call('GET', '/api/v1/users/me', { token });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/expired/);
  });

  it('after rotation, signs with the new key and keeps the old one published until its tokens expire', async () => {
    const user = await t.signUp('rotate');
    const oldKid = (await t.services.keys.activeKey()).kid;
    await t.services.keys.rotate();
    const fresh = await t.call('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: user.password },
    });
    const newKid = JSON.parse(Buffer.from(fresh.body.accessToken.split('.')[0], 'base64url').toString()).kid;
    expect(newKid).not.toBe(oldKid);

    const kids = (await t.call('GET', '/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([oldKid, newKid]));
    expect((await t.call('GET', '/api/v1/users/me', { token: user.token })).status).toBe(200);

    // Once the old key's last token has expired, it leaves the JWKS and its tokens stop working.
    await t.database.db
      .update(signingKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(signingKeys.kid, oldKid));
    const later = (await t.call('GET', '/.well-known/jwks.json')).body.keys.map(
      (k: { kid: string }) => k.kid,
    );
    expect(later).toEqual([newKid]);
    const { createApp } = await import('../src/app.js');
    const { createLogger } = await import('../src/lib/logger.js');
    const { TEST_CONFIG } = await import('./harness.js');
    const freshOrigin = createApp({
      db: t.database.db,
      logger: createLogger('silent'),
      config: TEST_CONFIG,
      storage: t.storage,
      uploadStagingDir: t.uploadStagingDir,
    });
    const res = await freshOrigin.app.request('/api/v1/users/me', {
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(res.status).toBe(401);
    expect((await t.call('GET', '/api/v1/users/me', { token: fresh.body.accessToken })).status).toBe(200);
  });

  it('exports no private material through the JWKS even after several rotations', async () => {
    await t.services.keys.rotate();
    const jwks = (await t.call('GET', '/.well-known/jwks.json')).body;
    for (const key of jwks.keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    }
  });
});
