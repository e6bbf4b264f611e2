import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { lockPglite } from './pglite-lock.js';
import * as schema from './schema/index.js';

export { schema };

/** The drizzle database both drivers produce; services depend on this, never on a driver. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A transaction or the database itself, so services can join an outer transaction. */
export type Executor = Database | Parameters<Parameters<Database['transaction']>[0]>[0];

export interface DatabaseHandle {
  db: Database;
  driver: 'postgres' | 'pglite';
  /** Apply pending migrations from `db/migrations`. Safe to call from several origins at once. */
  migrate(): Promise<void>;
  /**
   * Call `onNotify` with the payload of every `NOTIFY <channel>` (sent by any client, delivered on
   * commit). Resolves once listening, with a function that stops.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL. When absent, PGlite is used. */
  url?: string | undefined;
  /** Folder for PGlite's files. When absent with no `url`, PGlite runs in memory. */
  dataDir?: string | undefined;
  /** Max pooled connections for postgres.js. */
  maxConnections?: number;
  /** Called with every statement drizzle runs (bench/api records what a request executes). */
  logQuery?: (query: string, params: unknown[]) => void;
  /** Server-side cap on one statement (ms); a wedged query answers an error instead of hanging. */
  statementTimeoutMs?: number;
}

/**
 * Fail fast and recover fast (issue 16): postgres.js waits 30 s for a connection by default and
 * shares one reconnect backoff across the pool that grows to 20 s, so an 8 s outage hung requests
 * and traffic resumed 7-8 s after PostgreSQL was back. One second to connect and a backoff capped at
 * 0.4 s keep both within 2 s.
 */
export const POSTGRES_RESILIENCE = {
  connect_timeout: 1,
  backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.4),
} as const;

export const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

// Any constant works; it only has to be the same on every origin.
const MIGRATION_LOCK_ID = 7_263_001;

/** Open the database: postgres.js when a URL is given, otherwise embedded PGlite. */
export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.url) {
    const client = postgres(options.url, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      ...POSTGRES_RESILIENCE,
      connection: { statement_timeout: options.statementTimeoutMs ?? 15_000 },
    });
    const logger = options.logQuery ? { logQuery: options.logQuery } : undefined;
    const db = drizzlePostgres(client, { schema, ...(logger ? { logger } : {}) }) as unknown as Database;
    return {
      db,
      driver: 'postgres',
      async migrate() {
        // Two origins starting together must not both apply the same migration. A one-connection
        // client makes the session-level advisory lock and the migration share a connection.
        const lockClient = postgres(options.url as string, { max: 1, onnotice: () => {} });
        try {
          await lockClient`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
          await migratePostgres(drizzlePostgres(lockClient), { migrationsFolder: MIGRATIONS_FOLDER });
          await lockClient`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
        } finally {
          await lockClient.end({ timeout: 5 });
        }
      },
      async listen(channel, onNotify) {
        const request = await client.listen(channel, (payload) => onNotify(payload));
        return () => request.unlisten();
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const release = options.dataDir ? lockPglite(options.dataDir) : () => {};
  const client = new PGlite(options.dataDir);
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    driver: 'pglite',
    // PGlite is single-process, so there is nobody to race.
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_FOLDER }),
    async listen(channel, onNotify) {
      const unlisten = await client.listen(channel, (payload) => onNotify(payload));
      return () => unlisten();
    },
    close: () => client.close().finally(release),
  };
}

/** Cheap round trip used by readiness checks. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.execute(sql`select 1`);
}
