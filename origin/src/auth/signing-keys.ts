import { and, desc, gt, ne } from 'drizzle-orm';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Database } from '../../../db/client.js';
import { signingKeys } from '../../../db/schema/index.js';
import { ACCESS_TOKEN_ALG } from '../../../protocol/access-token-verifier.js';

/** Access tokens are ES256 only: the shared verifier refuses anything else. */
export const SIGNING_ALG = ACCESS_TOKEN_ALG;

export interface KeyRingOptions {
  /** How long a key signs before a fresh one takes over. */
  rotateAfterSeconds: number;
  /** Lifetime of the tokens it signs; a retired key stays published this long. */
  tokenTtlSeconds: number;
  now?: () => Date;
}

interface ActiveKey {
  kid: string;
  privateKey: CryptoKey;
  retiresAt: Date;
}

/**
 * The origin's ES256 signing keys, kept in the database so every origin signs with the same key
 * and publishes the same JWKS. Rotation: once the active key reaches `retiresAt`, the next caller
 * creates a new one; the old key stays in the JWKS until its last token has expired.
 */
export class KeyRing {
  #active: ActiveKey | undefined;
  readonly #now: () => Date;

  constructor(
    private readonly db: Database,
    private readonly options: KeyRingOptions,
  ) {
    this.#now = options.now ?? (() => new Date());
  }

  /** The key to sign with now, creating or rotating it when needed. */
  async activeKey(): Promise<{ kid: string; privateKey: CryptoKey }> {
    const now = this.#now();
    if (this.#active && this.#active.retiresAt > now) return this.#active;
    const [row] = await this.db
      .select()
      .from(signingKeys)
      .where(gt(signingKeys.retiresAt, now))
      .orderBy(desc(signingKeys.createdAt))
      .limit(1);
    if (row) {
      this.#active = {
        kid: row.kid,
        privateKey: (await importJWK(row.privateJwk as JWK, SIGNING_ALG)) as CryptoKey,
        retiresAt: row.retiresAt,
      };
      return this.#active;
    }
    return this.rotate();
  }

  /** Create a new signing key now. Older keys keep verifying until their tokens expire. */
  async rotate(): Promise<ActiveKey> {
    const now = this.#now();
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const kid = `k${now.getTime().toString(36)}${crypto.randomUUID().slice(0, 8)}`;
    const retiresAt = new Date(now.getTime() + this.options.rotateAfterSeconds * 1000);
    const expiresAt = new Date(retiresAt.getTime() + this.options.tokenTtlSeconds * 1000);
    await this.db.insert(signingKeys).values({
      kid,
      alg: SIGNING_ALG,
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: 'sig' },
      privateJwk: await exportJWK(privateKey),
      retiresAt,
      expiresAt,
    });
    // Retire whatever signed before: it stops signing now, and stays published only until the
    // last token it signed has expired.
    await this.db
      .update(signingKeys)
      .set({ retiresAt: now, expiresAt: new Date(now.getTime() + this.options.tokenTtlSeconds * 1000) })
      .where(and(gt(signingKeys.retiresAt, now), ne(signingKeys.kid, kid)));
    this.#active = { kid, privateKey, retiresAt };
    return this.#active;
  }

  /** The public JWKS: every key whose tokens may still be alive. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const rows = await this.db
      .select({ publicJwk: signingKeys.publicJwk })
      .from(signingKeys)
      .where(gt(signingKeys.expiresAt, this.#now()))
      .orderBy(desc(signingKeys.createdAt));
    return { keys: rows.map((row) => row.publicJwk as JWK) };
  }
}
