import { createHmac, timingSafeEqual } from 'node:crypto';
import { encodeKeyPath, validateKey } from './keys.js';

/**
 * Presigned URLs for the local backend. The origin serves `GET /storage/<key>` and checks the
 * query with `verifyLocalPresign`, so a player or runner can fetch an object without a session,
 * exactly as it would from an S3 presigned URL.
 */

/** Shortest secret we accept; anything shorter is a configuration mistake, not a secret. */
export const MIN_LOCAL_SECRET_LENGTH = 16;

function signature(secret: string, key: string, expires: number): string {
  // The newline cannot occur in a valid key, so (key, expires) pairs cannot collide.
  return createHmac('sha256', secret).update(`${key}\n${expires}`).digest('base64url');
}

/**
 * Build `${publicBaseUrl}/storage/<key>?expires=<unix seconds>&sig=<HMAC-SHA256, base64url>`.
 * `nowMs` is the signing time; the URL is valid until `nowMs / 1000 + expiresInSeconds`.
 */
export function signLocalUrl(
  publicBaseUrl: string,
  secret: string,
  key: string,
  expiresInSeconds: number,
  nowMs: number,
): string {
  const expires = Math.floor(nowMs / 1000) + expiresInSeconds;
  const base = publicBaseUrl.replace(/\/+$/, '');
  return `${base}/storage/${encodeKeyPath(key)}?expires=${expires}&sig=${signature(secret, key, expires)}`;
}

/**
 * Check a local presigned URL's parts as the `/storage/` route receives them (key already
 * percent-decoded, `expires` and `sig` straight from the query). True only when the signature
 * matches this key and expiry and `now` (milliseconds, default `Date.now()`) is not past the expiry.
 */
export function verifyLocalPresign(
  secret: string,
  key: string,
  expires: string | number,
  sig: string,
  now: number = Date.now(),
): boolean {
  const expiresAt =
    typeof expires === 'number' ? expires : /^\d{1,15}$/.test(expires) ? Number(expires) : Number.NaN;
  if (!Number.isSafeInteger(expiresAt) || Math.floor(now / 1000) > expiresAt) return false;
  try {
    validateKey(key);
  } catch {
    return false;
  }
  const expected = Buffer.from(signature(secret, key, expiresAt));
  const given = Buffer.from(sig);
  // timingSafeEqual throws on length mismatch; the length of a valid signature is no secret.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
