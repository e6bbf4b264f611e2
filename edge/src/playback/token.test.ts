import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { mintPlaybackToken, parsePlaybackKeys, verifyPlaybackToken } from './token.js';

const VIDEO = '11111111-2222-4333-8444-555555555555';
const ring = () => parsePlaybackKeys(`a:${'x'.repeat(32)},b:${'y'.repeat(32)}`);
const claims = (extra = {}) => ({
  videoId: VIDEO,
  audience: 'hls' as const,
  version: 3,
  revocation: 0,
  expiresAt: Math.floor(Date.now() / 1000) + 60,
  ...extra,
});

describe('playback tokens', () => {
  it('round-trips claims and names the signing key', async () => {
    const keys = await ring();
    const token = await mintPlaybackToken(keys, claims({ ip: '203.0.113.1', countries: { allow: ['FR'] } }));
    expect(JSON.parse(atob(token.split('.')[0] as string)).kid).toBe('a');
    const result = await verifyPlaybackToken(keys, token, { ip: '203.0.113.1', country: 'FR' });
    expect(result).toMatchObject({
      ok: true,
      claims: { videoId: VIDEO, audience: 'hls', version: 3, ip: '203.0.113.1' },
    });
  });

  it('carries the revocation epoch and the issue time; tokens without an epoch count as epoch 0', async () => {
    const keys = await ring();
    const now = Date.now();
    const token = await mintPlaybackToken(keys, claims({ revocation: 42 }), now);
    const result = await verifyPlaybackToken(keys, token, {});
    expect(result).toMatchObject({
      ok: true,
      claims: { revocation: 42, issuedAt: Math.floor(now / 1000) },
    });
    // A token minted before epochs existed: same key, no `rv` claim.
    const legacy = await new SignJWT({ v: 3 })
      .setProtectedHeader({ alg: 'HS256', kid: 'a' })
      .setSubject(VIDEO)
      .setAudience('hls')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(keys.active.key);
    expect(await verifyPlaybackToken(keys, legacy, {})).toMatchObject({
      ok: true,
      claims: { revocation: 0 },
    });
  });

  it('carries the live mark of an on-air video, and VOD tokens have none', async () => {
    const keys = await ring();
    const live = await mintPlaybackToken(keys, claims({ live: true, version: 1_767_225_600_000 }));
    expect(await verifyPlaybackToken(keys, live, {})).toMatchObject({
      ok: true,
      claims: { live: true, version: 1_767_225_600_000 },
    });
    const vod = await verifyPlaybackToken(keys, await mintPlaybackToken(keys, claims()), {});
    expect(vod.ok && vod.claims).not.toHaveProperty('live');
  });

  it('caps the lifetime at 24 hours', async () => {
    const keys = await ring();
    const token = await mintPlaybackToken(
      keys,
      claims({ expiresAt: Math.floor(Date.now() / 1000) + 7 * 86_400 }),
    );
    const exp = JSON.parse(atob((token.split('.')[1] as string).replace(/-/g, '+').replace(/_/g, '/'))).exp;
    expect(exp - Date.now() / 1000).toBeLessThanOrEqual(86_400 + 1);
  });

  it('refuses expiry, wrong audience, another key, country and address mismatches', async () => {
    const keys = await ring();
    const expired = await mintPlaybackToken(keys, claims({ expiresAt: Math.floor(Date.now() / 1000) - 10 }));
    expect(await verifyPlaybackToken(keys, expired, {})).toEqual({ ok: false, reason: 'token expired' });
    const token = await mintPlaybackToken(keys, claims());
    expect(await verifyPlaybackToken(keys, token, { audience: 'thumbnail' })).toMatchObject({ ok: false });
    const otherRing = await parsePlaybackKeys(`a:${'z'.repeat(32)}`);
    expect(await verifyPlaybackToken(otherRing, token, {})).toEqual({
      ok: false,
      reason: 'invalid token signature',
    });
    const geo = await mintPlaybackToken(keys, claims({ countries: { deny: ['XX'] } }));
    expect(await verifyPlaybackToken(keys, geo, { country: 'XX' })).toEqual({
      ok: false,
      reason: 'not available in your country',
    });
    expect((await verifyPlaybackToken(keys, geo, { country: 'FR' })).ok).toBe(true);
    const bound = await mintPlaybackToken(keys, claims({ ip: '203.0.113.1' }));
    expect(await verifyPlaybackToken(keys, bound, { ip: '203.0.113.2' })).toMatchObject({ ok: false });
  });

  it('rejects malformed key configuration', async () => {
    await expect(parsePlaybackKeys('a:short')).rejects.toThrow(/at least 32/);
    await expect(parsePlaybackKeys('')).rejects.toThrow(/no usable/);
    await expect(parsePlaybackKeys(`bad kid:${'x'.repeat(32)}`)).rejects.toThrow(/valid key id/);
  });
});
