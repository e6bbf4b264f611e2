import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_TEST_URL } from '../origin/test/harness.js';
import { databaseBefore } from './migrations-before.js';

const MIGRATION = '0005_deletion';

// Videos deleted before deletion deleted anything: their jobs still ran and their files stayed.
describe(`migration ${MIGRATION} on PostgreSQL`, () => {
  let db: Awaited<ReturnType<typeof databaseBefore>>;
  let sql: postgres.Sql;

  beforeAll(async () => {
    db = await databaseBefore(POSTGRES_TEST_URL, MIGRATION);
    sql = db.sql;
  });
  afterAll(() => db?.dispose());

  it('dates old deletions, cancels their jobs and uploads, and queues their cleanup', async () => {
    const [user] = await sql`insert into users (email, username, password_hash)
      values ('d@example.com', 'd', 'x') returning id`;
    const [channel] = await sql`insert into channels (owner_id, handle, display_name)
      values (${user?.id}, 'd', 'D') returning id`;
    const video = async (state: string) =>
      (
        await sql`insert into videos (channel_id, title, state) values (${channel?.id}, 't', ${state}) returning id`
      )[0]?.id as string;
    const [deleted, live] = [await video('deleted'), await video('queued')];
    for (const id of [deleted, live]) {
      await sql`insert into jobs (video_id, kind) values (${id}, 'transcode')`;
      await sql`insert into uploads (id, video_id, user_id, size, storage_key, expires_at)
        values (${`u-${id}`}, ${id}, ${user?.id}, 10, 'k', now() + interval '1 hour')`;
    }

    await db.migrateAll();

    const jobs = await sql`select video_id, kind, state, max_attempts from jobs order by kind, video_id`;
    const of = (id: string) => jobs.filter((j) => j.video_id === id).map((j) => [j.kind, j.state]);
    expect(of(deleted).sort()).toEqual([
      ['cleanup', 'pending'],
      ['transcode', 'cancelled'],
    ]);
    expect(of(live)).toEqual([['transcode', 'pending']]);
    const uploads = await sql`select video_id, state from uploads`;
    expect(Object.fromEntries(uploads.map((u) => [u.video_id, u.state]))).toEqual({
      [deleted]: 'terminated',
      [live]: 'pending',
    });
    const dated = await sql`select id, deleted_at from videos`;
    expect(dated.find((v) => v.id === deleted)?.deleted_at).not.toBeNull();
    expect(dated.find((v) => v.id === live)?.deleted_at).toBeNull();
  });
});
