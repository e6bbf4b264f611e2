import { createLocalJWKSet, errors, type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  type AccessClaims,
  AccessClaimsSchema,
  type Role,
} from '../../../protocol/auth.js';
import { UnauthorizedError } from '../lib/errors.js';
import { type KeyRing, SIGNING_ALG } from './signing-keys.js';

/** Who is calling, as far as the API is concerned. */
export interface Viewer {
  userId: string;
  role: Role;
  username: string;
}

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
 * Verifies access tokens against the key ring's JWKS. The JWKS is cached and reloaded when a
 * token names a `kid` the cache does not know (a key another origin just created).
 */
export class AccessTokenVerifier {
  #keySet: JWTVerifyGetKey | undefined;
  #loadedAt = 0;

  constructor(
    private readonly keys: KeyRing,
    private readonly cacheSeconds = 60,
  ) {}

  async #load(force: boolean): Promise<JWTVerifyGetKey> {
    if (!force && this.#keySet && Date.now() - this.#loadedAt < this.cacheSeconds * 1000) return this.#keySet;
    this.#keySet = createLocalJWKSet(await this.keys.jwks());
    this.#loadedAt = Date.now();
    return this.#keySet;
  }

  /** The claims of a valid token; any failure is an `UnauthorizedError` with a plain reason. */
  async verify(token: string): Promise<AccessClaims> {
    const options = {
      algorithms: [SIGNING_ALG],
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
    };
    try {
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, await this.#load(false), options));
      } catch (error) {
        if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
        ({ payload } = await jwtVerify(token, await this.#load(true), options));
      }
      return AccessClaimsSchema.parse(payload);
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new UnauthorizedError('The access token has expired');
      throw new UnauthorizedError('The access token is not valid');
    }
  }
}
