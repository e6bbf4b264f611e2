import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { lockPglite, PgliteInUseError, pgliteOwner } from '../../db/pglite-lock.js';
import type { BackupEnv } from './env.js';
import { BACKUP_FILES, BackupError } from './manifest.js';

const run = promisify(execFile);

/** The database an instance uses: its embedded PGlite folder, or a PostgreSQL URL. */
export type DatabaseTarget = { driver: 'pglite'; dir: string } | { driver: 'postgres'; url: string };

/** Where the origin would open its database with this environment (as `startOrigin` does). */
export function databaseTarget(env: BackupEnv): DatabaseTarget {
  return env.DATABASE_URL
    ? { driver: 'postgres', url: env.DATABASE_URL }
    : { driver: 'pglite', dir: path.resolve(env.DATA_DIR, 'pglite') };
}

/** Where a target is, for messages: never a password. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.driver === 'pglite') return `the embedded database in ${target.dir}`;
  const url = new URL(target.url);
  url.password = '';
  return `the PostgreSQL database ${url.toString()}`;
}

/**
 * libpq tools take the URL without its password, which goes through PGPASSWORD: a command line is
 * readable by every local user.
 */
function libpqArgs(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return {
    dbname: parsed.toString(),
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  };
}

/** Claim a PGlite folder for this command, or say plainly that the instance must be stopped first. */
function claimPglite(dir: string): () => void {
  try {
    return lockPglite(dir);
  } catch (error) {
    if (error instanceof PgliteInUseError)
      throw new BackupError(
        `${error.message}: embedded PGlite serves one process only, so stop npm start, then run this again`,
      );
    throw error;
  }
}

/**
 * Write the database into `folder` and list the videos it holds. PGlite: its data folder as a
 * tarball, taken by the only process that has it open. PostgreSQL: pg_dump, one consistent snapshot
 * of a running instance.
 */
export async function dumpDatabase(
  target: DatabaseTarget,
  folder: string,
): Promise<{ file: (typeof BACKUP_FILES)['pgliteDump' | 'postgresDump']; videoIds: string[] }> {
  if (target.driver === 'pglite') {
    if (!existsSync(path.join(target.dir, 'PG_VERSION')))
      throw new BackupError(`There is no embedded database in ${target.dir} (is DATA_DIR right?)`);
    const release = claimPglite(target.dir);
    const db = new PGlite(target.dir);
    try {
      const { rows } = await db.query<{ id: string }>('select id::text as id from videos');
      const dump = await db.dumpDataDir('gzip');
      await writeFile(path.join(folder, BACKUP_FILES.pgliteDump), Buffer.from(await dump.arrayBuffer()));
      return { file: BACKUP_FILES.pgliteDump, videoIds: rows.map((row) => row.id) };
    } finally {
      await db.close();
      release();
    }
  }
  const { dbname, env } = libpqArgs(target.url);
  const file = path.join(folder, BACKUP_FILES.postgresDump);
  await run(
    'pg_dump',
    ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${dbname}`],
    {
      env,
    },
  ).catch((error: { stderr?: string }) => {
    throw new BackupError(
      `pg_dump of ${describeTarget(target)} failed: ${error.stderr?.trim() || String(error)}`,
    );
  });
  const sql = postgres(target.url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ id: string }[]>`select id::text as id from videos`;
    return { file: BACKUP_FILES.postgresDump, videoIds: rows.map((row) => row.id) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Refuse a target that holds anything: a restore never merges into, or overwrites, an instance. */
export async function assertDatabaseEmpty(target: DatabaseTarget): Promise<void> {
  if (target.driver === 'pglite') {
    const owner = pgliteOwner(target.dir);
    if (owner !== undefined)
      throw new BackupError(`${describeTarget(target)} is in use by process ${owner}; stop that instance`);
    if (existsSync(target.dir) && readdirSync(target.dir).length > 0)
      throw new BackupError(
        `${describeTarget(target)} is not empty: restore only into a fresh DATA_DIR (or move ${target.dir} away)`,
      );
    return;
  }
  const sql = postgres(target.url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const [row] = await sql<{ tables: number }[]>`
      select count(*)::int as tables from pg_tables
      where schemaname not in ('pg_catalog', 'information_schema')`;
    if ((row?.tables ?? 0) > 0)
      throw new BackupError(
        `${describeTarget(target)} is not empty (${row?.tables} tables): restore only into a new, empty database`,
      );
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`Cannot reach ${describeTarget(target)}: ${(error as Error).message}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Load a dump into an empty target: PGlite unpacks its tarball; pg_restore runs in one transaction. */
export async function restoreDatabase(target: DatabaseTarget, dumpFile: string): Promise<void> {
  if (target.driver === 'pglite') {
    await mkdir(target.dir, { recursive: true });
    const release = claimPglite(target.dir);
    const db = new PGlite(target.dir, { loadDataDir: new Blob([await readFile(dumpFile)]) });
    try {
      await db.query('select count(*) from videos');
    } finally {
      await db.close();
      release();
    }
    return;
  }
  const { dbname, env } = libpqArgs(target.url);
  await run(
    'pg_restore',
    [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      `--dbname=${dbname}`,
      dumpFile,
    ],
    { env },
  ).catch((error: { stderr?: string }) => {
    throw new BackupError(
      `pg_restore into ${describeTarget(target)} failed: ${error.stderr?.trim() || String(error)}`,
    );
  });
}
