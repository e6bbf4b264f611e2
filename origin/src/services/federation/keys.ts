import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { exportJwk, generateCryptoKeyPair, importJwk } from '@fedify/fedify';
import { eq } from 'drizzle-orm';
import type { Database } from '../../../../db/client.js';
import { federationKeys } from '../../../../db/schema/index.js';

/** Seal a private JWK with AES-256-GCM under `secret` (`iv.tag.ciphertext`, base64url). */
export function seal(secret: string, value: unknown): string {
  const key = createHash('sha256').update(secret).digest();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

/** The inverse of `seal`; throws when the secret is wrong or the text was tampered with. */
export function unseal(secret: string, sealed: string): unknown {
  const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !body) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', createHash('sha256').update(secret).digest(), iv);
  decipher.setAuthTag(tag);
  return JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8'));
}

export interface ActorKeyPairs {
  rsa: CryptoKeyPair;
  ed25519: CryptoKeyPair;
}

const cache = new WeakMap<Database, Map<string, Promise<ActorKeyPairs>>>();

/**
 * The RSA and Ed25519 key pairs of a local actor (`instance`, `user:<id>`, `channel:<id>`),
 * made on first use. Two origins racing on a new actor both insert; the first row wins and both
 * read it back, so an actor never has two keys.
 */
export function actorKeyPairs(db: Database, secret: string, actor: string): Promise<ActorKeyPairs> {
  const perDb = cache.get(db) ?? new Map<string, Promise<ActorKeyPairs>>();
  cache.set(db, perDb);
  let pending = perDb.get(actor);
  if (!pending) {
    pending = loadOrCreate(db, secret, actor);
    pending.catch(() => perDb.delete(actor));
    perDb.set(actor, pending);
  }
  return pending;
}

async function loadOrCreate(db: Database, secret: string, actor: string): Promise<ActorKeyPairs> {
  const [existing] = await db.select().from(federationKeys).where(eq(federationKeys.actor, actor));
  if (!existing) {
    const rsa = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
    const ed25519 = await generateCryptoKeyPair('Ed25519');
    await db
      .insert(federationKeys)
      .values({
        actor,
        rsaPublicJwk: await exportJwk(rsa.publicKey),
        rsaPrivateSealed: seal(secret, await exportJwk(rsa.privateKey)),
        ed25519PublicJwk: await exportJwk(ed25519.publicKey),
        ed25519PrivateSealed: seal(secret, await exportJwk(ed25519.privateKey)),
      })
      .onConflictDoNothing();
    return loadOrCreate(db, secret, actor);
  }
  const jwk = (value: unknown) => value as JsonWebKey;
  return {
    rsa: {
      publicKey: await importJwk(jwk(existing.rsaPublicJwk), 'public'),
      privateKey: await importJwk(jwk(unseal(secret, existing.rsaPrivateSealed)), 'private'),
    },
    ed25519: {
      publicKey: await importJwk(jwk(existing.ed25519PublicJwk), 'public'),
      privateKey: await importJwk(jwk(unseal(secret, existing.ed25519PrivateSealed)), 'private'),
    },
  };
}
