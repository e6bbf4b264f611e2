import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_TEST_URL } from '../origin/test/harness.js';
import { MIGRATIONS_FOLDER, openDatabase } from './client.js';

const MIGRATION = '0003_relative_media_keys';

/** The migrations folder as wave 1 shipped it: everything before MIGRATION. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vidra-migrations-'));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  const index = journal.entries.findIndex((entry) => entry.tag === tag);
  expect(index).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, index);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

describe(`migration ${MIGRATION} on PostgreSQL`, () => {
  const name = `vidra_m_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = postgres(POSTGRES_TEST_URL, { max: 1, onnotice: () => {} });
  const url = new URL(POSTGRES_TEST_URL);
  url.pathname = `/${name}`;
  let sql: postgres.Sql;
  let oldMigrations: string;

  beforeAll(async () => {
    await admin.unsafe(`create database ${name}`);
    sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
    oldMigrations = migrationsBefore(MIGRATION);
    await migrate(drizzle(sql), { migrationsFolder: oldMigrations });
  });

  afterAll(async () => {
    await sql?.end();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    if (oldMigrations) rmSync(oldMigrations, { recursive: true, force: true });
  });

  it('rewrites wave-1 absolute keys relative to the video and drops the storyboard image', async () => {
    const [user] = await sql`insert into users (email, username, password_hash)
      values ('m@example.com', 'm', 'x') returning id`;
    const [channel] = await sql`insert into channels (owner_id, handle, display_name)
      values (${user?.id}, 'm', 'M') returning id`;
    const insertVideo = async (assets: unknown) => {
      const [row] = await sql`insert into videos (channel_id, title, state, assets)
        values (${channel?.id}, 't', 'ready', ${assets === null ? null : JSON.stringify(assets)}::jsonb) returning id`;
      return row?.id as string;
    };
    const old = await insertVideo({});
    const p = `videos/${old}/`;
    const wave1 = {
      version: 7,
      master: `${p}hls/master.m3u8`,
      thumbnail: `${p}hls/thumbnail.jpg`,
      storyboardImage: `${p}hls/storyboard.jpg`,
      storyboardVtt: `${p}hls/storyboard.vtt`,
    };
    await sql`update videos set assets = ${JSON.stringify(wave1)}::jsonb where id = ${old}`;
    const other = randomUUID();
    // Another video's prefix is not this video's: left as it is rather than guessed at.
    const foreign = await insertVideo({ version: 1, master: `videos/${other}/hls/master.m3u8` });
    const relative = await insertVideo({ version: 2, master: 'hls/master.m3u8' });
    const none = await insertVideo(null);
    await sql`insert into renditions (video_id, width, height, bitrate, playlist_key) values
      (${old}, 640, 360, 800000, ${`${p}hls/360p/index.m3u8`}),
      (${relative}, 640, 360, 800000, 'hls/360p/index.m3u8')`;

    const handle = openDatabase({ url: url.toString(), maxConnections: 1 });
    try {
      await handle.migrate();
    } finally {
      await handle.close();
    }

    const assets = Object.fromEntries(
      (await sql`select id, assets from videos`).map((row) => [row.id as string, row.assets]),
    );
    expect(assets[old]).toEqual({
      version: 7,
      master: 'hls/master.m3u8',
      thumbnail: 'hls/thumbnail.jpg',
      storyboardVtt: 'hls/storyboard.vtt',
    });
    expect(assets[foreign]).toEqual({ version: 1, master: `videos/${other}/hls/master.m3u8` });
    expect(assets[relative]).toEqual({ version: 2, master: 'hls/master.m3u8' });
    expect(assets[none]).toBeNull();
    const keys = await sql`select playlist_key from renditions order by video_id = ${old} desc`;
    expect(keys.map((row) => row.playlist_key)).toEqual(['hls/360p/index.m3u8', 'hls/360p/index.m3u8']);
  });
});
