import { exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AccessTokenVerifier,
  type AccessTokenVerifierOptions,
  KeySetUnavailableError,
} from './access-token-verifier.js';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from './claims.js';

const USER = '4f1c2b7e-3d5a-4e8f-9a6b-1c2d3e4f5a6b';
const b64url = (value: string) => Buffer.from(value).toString('base64url');

interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function makeKey(kid: string): Promise<TestKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

function sign(key: TestKey, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'user', username: 'alice', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT', ...header })
    .setSubject(String(claims.sub ?? USER))
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(key.privateKey);
}

/** A verifier over a key set the test controls, counting how often it is loaded. */
function verifierOver(keys: () => unknown, options: Partial<AccessTokenVerifierOptions> = {}) {
  const loads = { count: 0 };
  const verifier = new AccessTokenVerifier(async () => {
    loads.count++;
    return keys();
  }, options);
  return { verifier, loads };
}

describe('AccessTokenVerifier', () => {
  let active: TestKey;
  let attacker: TestKey;
  beforeAll(async () => {
    active = await makeKey('k1');
    attacker = await makeKey('k1');
  });

  it('accepts a valid ES256 token and returns its viewer', async () => {
    const { verifier } = verifierOver(() => ({ keys: [active.jwk] }));
    expect(await verifier.verify(await sign(active, { role: 'moderator' }))).toEqual({
      ok: true,
      viewer: { userId: USER, role: 'moderator', username: 'alice' },
    });
  });

  it('tells an expired token from an invalid one', async () => {
    const { verifier } = verifierOver(() => ({ keys: [active.jwk] }));
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await new SignJWT({ role: 'user', username: 'alice' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject(USER)
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt(past)
      .setExpirationTime(past + 60)
      .sign(active.privateKey);
    expect(await verifier.verify(expired)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses alg: none, HS256 keyed with the public key, and an embedded jwk', async () => {
    const { verifier, loads } = verifierOver(() => ({ keys: [active.jwk] }));
    const payload = (await sign(active)).split('.')[1] as string;
    const none = `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT', kid: 'k1' }))}.${payload}.`;
    // Key confusion: an HMAC "signed" with the published public key as the secret.
    const pem = await exportSPKI((await generateKeyPair('ES256', { extractable: true })).publicKey);
    const hs256 = await new SignJWT({ role: 'admin', username: 'mallory' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setSubject(USER)
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(pem));
    const embedded = await sign(attacker, { role: 'admin' }, { jwk: attacker.jwk });
    for (const token of [none, hs256, embedded, 'not.a.jwt', 'garbage', '']) {
      expect(await verifier.verify(token)).toEqual({ ok: false, reason: 'invalid' });
    }
    // Refused on the header alone: no key set was needed.
    expect(loads.count).toBe(0);
  });

  it('refuses a forged signature under a real kid, and tampered claims', async () => {
    const { verifier } = verifierOver(() => ({ keys: [active.jwk] }));
    expect(await verifier.verify(await sign(attacker, { role: 'admin' }))).toEqual({
      ok: false,
      reason: 'invalid',
    });
    const [header, , signature] = (await sign(active)).split('.') as [string, string, string];
    const elevated = b64url(
      JSON.stringify({ sub: USER, role: 'admin', username: 'alice', iss: ACCESS_TOKEN_ISSUER }),
    );
    expect(await verifier.verify(`${header}.${elevated}.${signature}`)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuses roles outside ROLES, a non-uuid subject, and the wrong issuer or audience', async () => {
    const { verifier } = verifierOver(() => ({ keys: [active.jwk] }));
    const wrongIssuer = await new SignJWT({ role: 'user', username: 'alice' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject(USER)
      .setIssuer('someone-else')
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(active.privateKey);
    const wrongAudience = await new SignJWT({ role: 'user', username: 'alice' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject(USER)
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience('vidra:other')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(active.privateKey);
    for (const token of [
      await sign(active, { role: 'root' }),
      await sign(active, { sub: 'not-a-uuid' }),
      await sign(active, { username: 42 }),
      wrongIssuer,
      wrongAudience,
    ]) {
      expect(await verifier.verify(token)).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('reloads the key set once for an unknown kid, then not again within the cooldown', async () => {
    let clock = 1_000_000;
    const rotated = await makeKey('k2');
    let published = [active.jwk];
    const { verifier, loads } = verifierOver(() => ({ keys: published }), {
      now: () => clock,
      ttlMs: 300_000,
      refreshCooldownMs: 10_000,
    });
    expect((await verifier.verify(await sign(active))).ok).toBe(true);
    expect(loads.count).toBe(1);

    // The origin rotates: the first token naming k2 triggers one reload and passes.
    published = [rotated.jwk, active.jwk];
    expect((await verifier.verify(await sign(rotated))).ok).toBe(true);
    expect(loads.count).toBe(2);

    // Forged kids within the cooldown cost no further loads.
    clock += 1_000;
    for (const kid of ['x1', 'x2', 'x3']) {
      expect(await verifier.verify(await sign({ ...attacker, kid }))).toEqual({
        ok: false,
        reason: 'invalid',
      });
    }
    expect(loads.count).toBe(2);
    // Once the cooldown has passed, an unknown kid may reload again.
    clock += 10_000;
    expect((await verifier.verify(await sign({ ...attacker, kid: 'x4' }))).ok).toBe(false);
    expect(loads.count).toBe(3);

    // Past the TTL the key set is reloaded whatever the token names.
    clock += 300_001;
    expect((await verifier.verify(await sign(active))).ok).toBe(true);
    expect(loads.count).toBe(4);
    expect((await verifier.verify(await sign(rotated))).ok).toBe(true);
    expect(loads.count).toBe(4);
  });

  it('throws KeySetUnavailableError when the key set cannot be loaded or is malformed', async () => {
    const token = await sign(active);
    for (const keys of [
      () => {
        throw new Error('origin down');
      },
      () => ({ method: 'GET', url: '/.well-known/jwks.json' }),
      () => ({ keys: [{ kid: 'k1' }] }),
      () => 'not json at all',
    ]) {
      const { verifier } = verifierOver(keys);
      await expect(verifier.verify(token)).rejects.toBeInstanceOf(KeySetUnavailableError);
    }
  });
});
