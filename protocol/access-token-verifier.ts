// zod/mini, not classic zod: the edge bundles this file, and classic zod adds ~450 KB to the worker.
import { createLocalJWKSet, decodeProtectedHeader, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import * as z from 'zod/mini';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, ROLES, type Role } from './claims.js';

/** The only algorithm access tokens are signed with; anything else is refused before any key is looked at. */
export const ACCESS_TOKEN_ALG = 'ES256';

/** The signed-in caller, as proven by an origin-issued access JWT. */
export interface Viewer {
  userId: string;
  role: Role;
  username: string;
}

/** Why a token was refused: clients refresh on `expired`, and give up on `invalid`. */
export type AccessTokenFailure = 'expired' | 'invalid';

export type AccessTokenResult = { ok: true; viewer: Viewer } | { ok: false; reason: AccessTokenFailure };

/** The one wording of each failure, so the origin and the edge answer the same 401. */
export const ACCESS_TOKEN_FAILURE_MESSAGES: Record<AccessTokenFailure, string> = {
  expired: 'The access token has expired',
  invalid: 'The access token is not valid',
};

/** Claims carried by an origin-issued access JWT (ES256, `kid` in the header). */
export const AccessClaimsSchema = z.object({
  sub: z.uuid(),
  role: z.enum(ROLES),
  username: z.string(),
  iat: z.int(),
  exp: z.int(),
});
export type AccessClaims = z.infer<typeof AccessClaimsSchema>;

/**
 * A public JWKS as the origin publishes it at `/.well-known/jwks.json`. Only the shape is checked
 * here; jose refuses keys that are not usable for ES256 when a token is verified.
 */
export const JwksSchema = z.object({
  keys: z.array(z.looseObject({ kty: z.string(), kid: z.optional(z.string()), alg: z.optional(z.string()) })),
});
export type Jwks = z.infer<typeof JwksSchema>;

/** The key set could not be loaded or was malformed: an outage upstream, not a bad token. */
export class KeySetUnavailableError extends Error {
  override readonly name = 'KeySetUnavailableError';
}

export interface AccessTokenVerifierOptions {
  /** How long a loaded key set is used before it is loaded again. */
  ttlMs: number;
  /** A token naming an unknown `kid` reloads the key set early, at most once per this interval. */
  refreshCooldownMs: number;
  now?: () => number;
}

const DEFAULTS: AccessTokenVerifierOptions = { ttlMs: 300_000, refreshCooldownMs: 10_000 };

/**
 * Verifies origin-issued access tokens (ES256 only, issuer and audience from `claims.ts`, role in
 * `ROLES`). Runs on the origin (key set read from its own key ring) and at the edge (key set
 * fetched from the origin's JWKS): `loadJwks` is the only difference. The key set is cached for
 * `ttlMs`, and reloaded early when a token names a `kid` the cache does not know (a key another
 * origin just created), at most once per `refreshCooldownMs`, so forged kids cannot flood the origin.
 * A failing or malformed key set throws `KeySetUnavailableError` rather than blaming the token.
 */
export class AccessTokenVerifier {
  #keys: JWTVerifyGetKey | undefined;
  #kids = new Set<string>();
  #loadedAt = 0;
  #lastForcedAt = Number.NEGATIVE_INFINITY;
  readonly #options: AccessTokenVerifierOptions;
  readonly #now: () => number;

  constructor(
    private readonly loadJwks: () => Promise<unknown>,
    options: Partial<AccessTokenVerifierOptions> = {},
  ) {
    this.#options = { ...DEFAULTS, ...options };
    this.#now = options.now ?? Date.now;
  }

  async #keySet(kid: string | undefined): Promise<JWTVerifyGetKey> {
    const now = this.#now();
    const stale = !this.#keys || now - this.#loadedAt > this.#options.ttlMs;
    const unknownKid =
      kid !== undefined && !this.#kids.has(kid) && now - this.#lastForcedAt > this.#options.refreshCooldownMs;
    if (this.#keys && !stale && !unknownKid) return this.#keys;
    if (!stale) this.#lastForcedAt = now;
    let jwks: Jwks;
    try {
      const parsed = JwksSchema.safeParse(await this.loadJwks());
      if (!parsed.success) throw new Error(`malformed JWKS: ${z.prettifyError(parsed.error)}`);
      jwks = parsed.data;
    } catch (error) {
      throw new KeySetUnavailableError(`The access token keys are unavailable: ${String(error)}`, {
        cause: error,
      });
    }
    this.#keys = createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]);
    this.#kids = new Set(jwks.keys.flatMap((key) => (key.kid === undefined ? [] : [key.kid])));
    this.#loadedAt = now;
    return this.#keys;
  }

  /** Who the token proves the caller is, or why it proves nothing. */
  async verify(token: string): Promise<AccessTokenResult> {
    let kid: string | undefined;
    try {
      // Refuse other algorithms (none, HS256 key confusion) before any key is loaded.
      const header = decodeProtectedHeader(token);
      if (header.alg !== ACCESS_TOKEN_ALG || header.jwk !== undefined)
        return { ok: false, reason: 'invalid' };
      kid = header.kid;
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    const keys = await this.#keySet(kid);
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: [ACCESS_TOKEN_ALG],
        issuer: ACCESS_TOKEN_ISSUER,
        audience: ACCESS_TOKEN_AUDIENCE,
      });
      const claims = AccessClaimsSchema.safeParse(payload);
      if (!claims.success) return { ok: false, reason: 'invalid' };
      const { sub, role, username } = claims.data;
      return { ok: true, viewer: { userId: sub, role, username } };
    } catch (error) {
      return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  }
}
