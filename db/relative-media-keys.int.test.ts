import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_TEST_URL } from '../origin/test/harness.js';
import { databaseBefore } from './migrations-before.js';

const MIGRATION = '0003_relative_media_keys';

describe(`migration ${MIGRATION} on PostgreSQL`, () => {
  let db: Awaited<ReturnType<typeof databaseBefore>>;
  let sql: postgres.Sql;

  beforeAll(async () => {
    db = await databaseBefore(POSTGRES_TEST_URL, MIGRATION);
    sql = db.sql;
  });
  afterAll(() => db?.dispose());

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

    await db.migrateAll();

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
