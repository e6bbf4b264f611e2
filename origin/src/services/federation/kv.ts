import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from '@fedify/fedify';
import { and, eq, gt, isNull, like, or, sql } from 'drizzle-orm';
import type { Database } from '../../../../db/client.js';
import { federationKv } from '../../../../db/schema/index.js';

const encode = (key: KvKey) => JSON.stringify(key);
const live = () => or(isNull(federationKv.expiresAt), gt(federationKv.expiresAt, sql`now()`));
const expiry = (options?: KvStoreSetOptions) =>
  options?.ttl ? new Date(Date.now() + options.ttl.total('millisecond')) : null;

/** fedify's KvStore on our PostgreSQL (or PGlite): one row per key, expired rows read as absent. */
export class PgKvStore implements KvStore {
  constructor(private readonly db: Database) {}

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const [row] = await this.db
      .select({ value: federationKv.value })
      .from(federationKv)
      .where(and(eq(federationKv.key, encode(key)), live()));
    return row?.value as T | undefined;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const row = { key: encode(key), value: value ?? null, expiresAt: expiry(options) };
    await this.db
      .insert(federationKv)
      .values(row)
      .onConflictDoUpdate({ target: federationKv.key, set: { value: row.value, expiresAt: row.expiresAt } });
  }

  async delete(key: KvKey): Promise<void> {
    await this.db.delete(federationKv).where(eq(federationKv.key, encode(key)));
  }

  async cas(key: KvKey, expected: unknown, next: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .select({ value: federationKv.value })
        .from(federationKv)
        .where(and(eq(federationKv.key, encode(key)), live()))
        .for('update');
      if (JSON.stringify(row?.value) !== JSON.stringify(expected)) return false;
      const values = { key: encode(key), value: next ?? null, expiresAt: expiry(options) };
      await tx
        .insert(federationKv)
        .values(values)
        .onConflictDoUpdate({
          target: federationKv.key,
          set: { value: values.value, expiresAt: values.expiresAt },
        });
      return true;
    });
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const head = prefix ? encode(prefix).slice(0, -1) : '[';
    const pattern = `${head.replace(/[\\%_]/g, (c) => `\\${c}`)}${prefix ? ',' : ''}%`;
    const rows = await this.db
      .select()
      .from(federationKv)
      .where(
        and(
          or(like(federationKv.key, pattern), prefix ? eq(federationKv.key, encode(prefix)) : undefined),
          live(),
        ),
      );
    for (const row of rows) yield { key: JSON.parse(row.key) as KvKey, value: row.value };
  }
}
