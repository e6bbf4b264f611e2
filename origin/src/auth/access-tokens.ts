import { SignJWT } from 'jose';
import {
  ACCESS_TOKEN_FAILURE_MESSAGES,
  AccessTokenVerifier,
  type Viewer,
} from '../../../protocol/access-token-verifier.js';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from '../../../protocol/claims.js';
import { UnauthorizedError } from '../lib/errors.js';
import { type KeyRing, SIGNING_ALG } from './signing-keys.js';

/** Who is calling, as far as the API is concerned. */
export type { Viewer };

/** Mint a short-lived ES256 access JWT with the active key's `kid`. */
export async function mintAccessToken(
  keys: KeyRing,
  user: Viewer,
  ttlSeconds: number,
  now: Date = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const { kid, privateKey } = await keys.activeKey();
  const iat = Math.floor(now.getTime() / 1000);
  const token = await new SignJWT({ role: user.role, username: user.username })
    .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: 'JWT' })
    .setSubject(user.userId)
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(privateKey);
  return { token, expiresAt: new Date((iat + ttlSeconds) * 1000) };
}

/**
 * The shared verifier (the edge runs the same one) over this origin's own key ring. Reading the
 * key set is one indexed query on our own database, so a token naming an unknown `kid` (a key
 * another origin just created) reloads it at once, with no cooldown.
 */
export function createAccessTokenVerifier(keys: KeyRing): AccessTokenVerifier {
  return new AccessTokenVerifier(() => keys.jwks(), { ttlMs: 60_000, refreshCooldownMs: 0 });
}

/** The viewer a bearer token proves; any failure is an `UnauthorizedError` with a plain reason. */
export async function viewerOfToken(verifier: AccessTokenVerifier, token: string): Promise<Viewer> {
  const result = await verifier.verify(token);
  if (!result.ok) throw new UnauthorizedError(ACCESS_TOKEN_FAILURE_MESSAGES[result.reason]);
  return result.viewer;
}
