import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { MIGRATIONS_FOLDER, openDatabase } from './client.js';

/**
 * For migration tests: a copy of the migrations folder as it was before `tag` (everything before
 * it in the journal), so a test can migrate to there, insert old data, then run the real folder.
 */
export function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vidra-migrations-'));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  const index = journal.entries.findIndex((entry) => entry.tag === tag);
  if (index <= 0) throw new Error(`No migration ${tag} after the first one`);
  journal.entries = journal.entries.slice(0, index);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

/**
 * A fresh database on the PostgreSQL server at `baseUrl`, migrated up to just before `tag`.
 * `migrateAll()` then runs every migration as the origin does at start-up.
 */
export async function databaseBefore(baseUrl: string, tag: string) {
  const name = `vidra_m_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const oldMigrations = migrationsBefore(tag);
  await migrate(drizzle(sql), { migrationsFolder: oldMigrations });
  return {
    sql,
    async migrateAll() {
      const handle = openDatabase({ url: url.toString(), maxConnections: 1 });
      try {
        await handle.migrate();
      } finally {
        await handle.close();
      }
    },
    async dispose() {
      await sql.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
      rmSync(oldMigrations, { recursive: true, force: true });
    },
  };
}
