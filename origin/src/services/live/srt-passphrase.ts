import { createHmac } from 'node:crypto';

/**
 * The SRT passphrase of a channel's key generation: HMAC-SHA-256 of `<channelId>:<generation>`
 * under the origin's SRT secret, base64url (43 characters; SRT accepts 10 to 79).
 *
 * Why derived, not random: an SRT listener must hold the plaintext passphrase, so ingest has to
 * get it from the origin (`GET /internal/v1/live/srt-listeners`), yet the database keeps only its
 * hash. Deriving it lets the origin hand it out without storing it; a database leak alone yields no
 * passphrase. Rotation bumps the generation.
 */
export function srtPassphrase(secret: string, channelId: string, generation: number): string {
  return createHmac('sha256', secret).update(`${channelId}:${generation}`).digest('base64url');
}

/** The SRT secret when `LIVE_SRT_SECRET` is unset: derived from the internal token, so it persists as long as that does. */
export function srtSecretFromInternalToken(internalApiToken: string): string {
  return createHmac('sha256', internalApiToken).update('vidra live srt passphrases').digest('base64url');
}
