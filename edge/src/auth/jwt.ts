import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, type Role } from '../../../protocol/claims.js';

/** The signed-in caller, as proven by an origin-issued access JWT. */
export interface EdgeViewer {
  userId: string;
  role: Role;
  username: string;
}

export type JwtResult = { ok: true; viewer: EdgeViewer } | { ok: false; reason: string };

/**
 * Verifies origin-issued access tokens (ES256) against the origin's JWKS, with no secret at the
 * edge. The JWKS is cached for `ttlMs`, and refetched early when a token names a `kid` the cache
 * does not know (the origin rotated its key), at most once per `refreshCooldownMs`.
 */
export class JwksVerifier {
  #keys: JWTVerifyGetKey | undefined;
  #kids = new Set<string>();
  #loadedAt = 0;
  #lastForcedAt = 0;

  constructor(
    private readonly loadJwks: () => Promise<JSONWebKeySet>,
    private readonly options: { ttlMs: number; refreshCooldownMs: number } = {
      ttlMs: 300_000,
      refreshCooldownMs: 10_000,
    },
  ) {}

  async #ensure(kid: string | undefined): Promise<JWTVerifyGetKey> {
    const now = Date.now();
    const stale = !this.#keys || now - this.#loadedAt > this.options.ttlMs;
    const unknownKid =
      kid !== undefined && !this.#kids.has(kid) && now - this.#lastForcedAt > this.options.refreshCooldownMs;
    if (stale || unknownKid) {
      if (!stale) this.#lastForcedAt = now;
      const jwks = await this.loadJwks();
      this.#keys = createLocalJWKSet(jwks);
      this.#kids = new Set(jwks.keys.map((k) => k.kid).filter((k): k is string => typeof k === 'string'));
      this.#loadedAt = now;
    }
    return this.#keys as JWTVerifyGetKey;
  }

  async verify(token: string): Promise<JwtResult> {
    let kid: string | undefined;
    try {
      const header = JSON.parse(atob((token.split('.')[0] ?? '').replace(/-/g, '+').replace(/_/g, '/')));
      kid = typeof header.kid === 'string' ? header.kid : undefined;
      if (header.alg !== 'ES256') return { ok: false, reason: 'The access token is not valid' };
    } catch {
      return { ok: false, reason: 'The access token is not valid' };
    }
    try {
      const { payload } = await jwtVerify(token, await this.#ensure(kid), {
        algorithms: ['ES256'],
        issuer: ACCESS_TOKEN_ISSUER,
        audience: ACCESS_TOKEN_AUDIENCE,
      });
      const role = payload.role as Role;
      if (typeof payload.sub !== 'string' || !['user', 'moderator', 'admin'].includes(role)) {
        return { ok: false, reason: 'The access token is not valid' };
      }
      return { ok: true, viewer: { userId: payload.sub, role, username: String(payload.username ?? '') } };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: 'The access token has expired' };
      return { ok: false, reason: 'The access token is not valid' };
    }
  }
}
