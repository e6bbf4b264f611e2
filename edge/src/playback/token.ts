import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import type { PlaybackAudience } from '../../../protocol/media.js';

/** What a playback token opens: the HLS files, the poster, or the storyboard (see protocol/media.ts). */
export type Audience = PlaybackAudience;

/** Tokens never live longer than this, whatever the caller asks for. */
export const MAX_TOKEN_SECONDS = 24 * 3600;

export interface PlaybackClaims {
  videoId: string;
  audience: Audience;
  /** The video's asset version; part of every cache key, so a republished video never serves stale files. */
  version: number;
  /** Unix seconds. */
  expiresAt: number;
  /**
   * The video's revocation epoch at issuance (`rv`; see `revocations.ts`): the token dies once the
   * video has a newer one. Tokens without the claim count as epoch 0.
   */
  revocation: number;
  /**
   * The video was on air at issuance (`lv`): its files come from the origins' live route, not from
   * storage. Carried in the token so that serving never needs the policy; `version` is then the live
   * session's start.
   */
  live?: true;
  /** Unix seconds (`iat`), set by `mintPlaybackToken`; only read back from verified tokens. */
  issuedAt?: number;
  /** When set, only requests from this client address may use the token. */
  ip?: string;
  /** ISO country codes: when `allow` is set, only those; `deny` always wins. */
  countries?: { allow?: string[]; deny?: string[] };
}

export interface PlaybackKey {
  kid: string;
  key: CryptoKey;
}

/**
 * The active signing key plus every key still accepted. Keys are HMAC-SHA256 secrets held by the
 * edge alone: the edge both mints and verifies, so an asymmetric pair would buy nothing and cost
 * verification time on every segment. Removing a key from the set revokes its tokens at once.
 */
export interface PlaybackKeyRing {
  active: PlaybackKey;
  byKid: Map<string, PlaybackKey>;
}

const encoder = new TextEncoder();

/**
 * Parse `PLAYBACK_KEYS` (`kid:secret,kid:secret`, secrets of at least 32 characters). The first
 * key signs unless `activeKid` names another.
 */
export async function parsePlaybackKeys(raw: string, activeKid?: string): Promise<PlaybackKeyRing> {
  const byKid = new Map<string, PlaybackKey>();
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const split = entry.indexOf(':');
    const kid = entry.slice(0, split);
    const secret = entry.slice(split + 1);
    if (split < 1 || !/^[\w-]{1,32}$/.test(kid))
      throw new Error(`PLAYBACK_KEYS: "${kid}" is not a valid key id`);
    if (secret.length < 32)
      throw new Error(`PLAYBACK_KEYS: the secret of "${kid}" must have at least 32 characters`);
    const key = await crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    byKid.set(kid, { kid, key });
  }
  const first = byKid.values().next().value;
  const active = activeKid ? byKid.get(activeKid) : first;
  if (!active) throw new Error('PLAYBACK_KEYS: no usable signing key');
  return { active, byKid };
}

/** Mint a compact JWS (HS256, `kid` in the header) for one video and one audience. */
export async function mintPlaybackToken(
  ring: PlaybackKeyRing,
  claims: PlaybackClaims,
  now = Date.now(),
): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  const expiresAt = Math.min(claims.expiresAt, issuedAt + MAX_TOKEN_SECONDS);
  const payload: Record<string, unknown> = { v: claims.version, rv: claims.revocation };
  if (claims.live) payload.lv = 1;
  if (claims.ip) payload.ip = claims.ip;
  if (claims.countries) payload.geo = claims.countries;
  return (
    new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', kid: ring.active.kid })
      .setSubject(claims.videoId)
      .setAudience(claims.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      // Unique per issuance, so two viewers never share a token and logs can tell them apart.
      .setJti(crypto.randomUUID().slice(0, 8))
      .sign(ring.active.key)
  );
}

export type VerifyResult = { ok: true; claims: PlaybackClaims } | { ok: false; reason: string };

/**
 * Check a token for one request: signature with a still-accepted key, expiry, audience, client
 * address and country. Every failure carries a short reason for the 403 body.
 */
export async function verifyPlaybackToken(
  ring: PlaybackKeyRing,
  token: string,
  request: { audience?: Audience; ip?: string | undefined; country?: string | undefined; now?: number },
): Promise<VerifyResult> {
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(token);
    kid = header.kid;
    if (header.alg !== 'HS256') return { ok: false, reason: 'token algorithm not accepted' };
  } catch {
    return { ok: false, reason: 'malformed token' };
  }
  const key = kid ? ring.byKid.get(kid) : undefined;
  if (!key) return { ok: false, reason: 'token signed with an unknown or retired key' };
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key.key, {
      algorithms: ['HS256'],
      ...(request.audience ? { audience: request.audience } : {}),
      ...(request.now ? { currentDate: new Date(request.now) } : {}),
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'token expired' };
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
      return { ok: false, reason: 'token not valid for this kind of file' };
    }
    return { ok: false, reason: 'invalid token signature' };
  }
  const claims: PlaybackClaims = {
    videoId: String(payload.sub),
    audience: payload.aud as Audience,
    version: Number(payload.v),
    expiresAt: Number(payload.exp),
    revocation: typeof payload.rv === 'number' && Number.isSafeInteger(payload.rv) ? payload.rv : 0,
    ...(payload.lv === 1 ? { live: true as const } : {}),
    ...(typeof payload.iat === 'number' ? { issuedAt: payload.iat } : {}),
    ...(typeof payload.ip === 'string' ? { ip: payload.ip } : {}),
    ...(payload.geo ? { countries: payload.geo as PlaybackClaims['countries'] } : {}),
  };
  return checkClaims(claims, request);
}

/** The per-request checks of a token whose signature and expiry are already known good. */
export function checkClaims(
  claims: PlaybackClaims,
  request: { ip?: string | undefined; country?: string | undefined },
): VerifyResult {
  if (claims.ip && claims.ip !== request.ip)
    return { ok: false, reason: 'token bound to another client address' };
  const country = request.country ?? '';
  const geo = claims.countries;
  if (geo && (geo.deny?.includes(country) || (geo.allow && !geo.allow.includes(country)))) {
    return { ok: false, reason: 'not available in your country' };
  }
  return { ok: true, claims };
}
