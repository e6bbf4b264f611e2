import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from '../../../protocol/claims.js';
import type { ErrorBody } from '../../../protocol/errors.js';
import { edge, originCounts, REAL, realEnv } from '../../test/real-client.js';

const b64url = (value: string) => btoa(value).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const me = (token: string, env = realEnv()) =>
  edge('/api/v1/users/me', { headers: { authorization: `Bearer ${token}` } }, env);

async function forge(kid: string, claims: Record<string, unknown> = {}) {
  const { privateKey } = await generateKeyPair('ES256');
  return new SignJWT({ role: 'admin', username: 'mallory', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setSubject(REAL.ownerId)
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
}

describe('access tokens verified at the edge', () => {
  it('forwards a valid origin-issued token', async () => {
    const res = await me(REAL.tokens.owner);
    expect(res.status).toBe(200);
    expect((await res.json<{ id: string }>()).id).toBe(REAL.ownerId);
  });

  it('rejects a token signed by an unknown key without reaching the origin', async () => {
    const env = realEnv();
    await me(REAL.tokens.owner, env); // warm the JWKS cache
    const before = (await originCounts()).api;
    const res = await me(await forge('unknown-kid'), env);
    expect(res.status).toBe(401);
    expect((await res.json<ErrorBody>()).error).toMatchObject({
      code: 'unauthorized',
      message: 'The access token is not valid',
    });
    expect((await originCounts()).api).toBe(before);
  });

  it('rejects alg: none, a forged signature under a real kid, and garbage', async () => {
    const [header, payload] = REAL.tokens.owner.split('.') as [string, string];
    const kid = JSON.parse(atob(header.replace(/-/g, '+').replace(/_/g, '/'))).kid as string;
    const none = `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`;
    for (const token of [none, await forge(kid), 'not.a.jwt', 'garbage']) {
      const res = await me(token);
      expect(res.status).toBe(401);
    }
  });

  it('learns a rotated key: a token naming a new kid triggers one JWKS refresh', async () => {
    const env = realEnv();
    expect((await me(REAL.tokens.owner, env)).status).toBe(200);
    await fetch(`${REAL.url}/__rotate`);
    // A fresh login is signed by the new key, which this edge has never seen.
    const login = await edge(
      '/api/v1/auth/refresh',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: 'x' }),
      },
      env,
    );
    expect(login.status).toBe(401);
    const email = `rot-${Date.now()}@example.com`;
    const auth = (route: string, body: Record<string, string>) =>
      edge(
        route,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.200' },
          body: JSON.stringify(body),
        },
        env,
      );
    // Registration opens no session (issue 9): the client signs in afterwards.
    const registered = await auth('/api/v1/auth/register', {
      email,
      username: `rot_${Date.now() % 1e6}`,
      password: 'a long password',
    });
    expect(registered.status).toBe(202);
    const signedIn = await auth('/api/v1/auth/login', { email, password: 'a long password' });
    const { accessToken } = await signedIn.json<{ accessToken: string }>();
    expect((await me(accessToken, env)).status).toBe(200);
    // The old key stays published until its tokens expire.
    expect((await me(REAL.tokens.owner, env)).status).toBe(200);
  });
});
