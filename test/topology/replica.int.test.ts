// DATABASE_REPLICA_URL against a real streaming replica (pg_basebackup -R) on loopback: lists and
// search read from it (counted on it), the author sees their own comment at once, a lagging or
// dead replica sends reads back to the primary, and /metrics shows the lag.
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { openReadRouting, type ReadRouting } from '../../db/replica.js';
import { videos } from '../../db/schema/index.js';
import { createTestApp, TEST_CONFIG, type TestApp } from '../../origin/test/harness.js';
import { type StreamingPair, startStreamingPair } from '../support/pg-replica.js';
import { waitFor } from '../support/stack.js';

const OPERATOR = { headers: { authorization: `Bearer ${TEST_CONFIG.internalApiToken}` } };
const MAX_LAG_SECONDS = 4;

describe('reads from a streaming replica (DATABASE_REPLICA_URL)', () => {
  let pair: StreamingPair;
  let reads: ReadRouting;
  let t: TestApp;
  let replicaSql: postgres.Sql;
  let owner: Awaited<ReturnType<TestApp['signUp']>>;
  let channelId: string;
  let videoId: string;

  /** Scans of the videos table counted by the replica's own statistics. */
  const replicaVideoScans = async () => {
    await replicaSql`select pg_stat_clear_snapshot()`;
    const [row] = await replicaSql`select coalesce(seq_scan, 0) + coalesce(idx_scan, 0) as n
      from pg_stat_user_tables where relname = 'videos'`;
    return Number(row?.n ?? 0);
  };
  const onReplica = async (title: string) =>
    (await replicaSql`select 1 from videos where title = ${title}`).length === 1;
  const newVideo = async (title: string) => {
    const res = await t.call('POST', '/api/v1/videos', { token: owner.token, body: { channelId, title } });
    expect(res.status).toBe(201);
    const id = res.body.video.id as string;
    await t.database.db.update(videos).set({ state: 'ready' }).where(eq(videos.id, id));
    await waitFor(
      async () => ((await onReplica(title)) ? true : undefined),
      10_000,
      () => `${title} never replicated`,
    );
    return id;
  };
  const anonymousTitles = async () =>
    ((await t.call('GET', '/api/v1/videos')).body.data as Array<{ title: string }>).map((v) => v.title);
  const threadTexts = async (token?: string) => {
    const res = await t.call('GET', `/api/v1/videos/${videoId}/comment-threads`, token ? { token } : {});
    expect(res.status).toBe(200);
    return (res.body.data as Array<{ text: string }>).map((c) => c.text);
  };

  beforeAll(async () => {
    pair = await startStreamingPair();
    const admin = postgres(pair.primaryUrl('postgres'), { max: 1, onnotice: () => {} });
    await admin`create database vidra`;
    await admin.end();
    const primary = openDatabase({ url: pair.primaryUrl('vidra'), maxConnections: 5 });
    await primary.migrate();
    replicaSql = postgres(pair.replicaUrl('vidra'), { max: 1, onnotice: () => {} });
    reads = openReadRouting({
      primary: primary.db,
      replicaUrl: pair.replicaUrl('vidra'),
      maxLagSeconds: MAX_LAG_SECONDS,
      checkIntervalMs: 200,
    });
    await reads.check();
    reads.start();
    t = await createTestApp(
      'postgres',
      {},
      { database: { ...primary, dispose: () => primary.close() }, reads },
    );
    owner = await t.signUp('replica');
    channelId = (
      await t.call('POST', '/api/v1/channels', {
        token: owner.token,
        body: { handle: 'replicas', displayName: 'Replicas' },
      })
    ).body.id;
    videoId = await newVideo('Replicated first');
  }, 90_000);

  afterAll(async () => {
    await replicaSql?.end();
    await t?.close();
    await reads?.close();
    await pair?.stop();
  });

  it('sends public lists and search to the replica, counted on it', async () => {
    expect(reads.usingReplica()).toBe(true);
    const before = await replicaVideoScans();
    expect(await anonymousTitles()).toContain('Replicated first');
    const search = await t.call('GET', '/api/v1/search/videos?search=replicated');
    expect(search.body.data.map((v: { title: string }) => v.title)).toEqual(['Replicated first']);
    // Statistics reach the shared counters when the replica's backend goes idle.
    const after = await waitFor(
      async () => ((await replicaVideoScans()) >= before + 3 ? replicaVideoScans() : undefined),
      15_000,
      () => `the replica counted no scans of videos (before: ${before})`,
    );
    expect(after).toBeGreaterThanOrEqual(before + 3);
    const metrics = (await t.call('GET', '/metrics', OPERATOR)).body as string;
    expect(metrics).toContain('vidra_db_replica_reads 1');
    expect(metrics).toMatch(/vidra_db_replica_lag_seconds \d/);
  });

  it('shows the author their comment and their upload at once while the replica trails', async () => {
    await newVideo('Fresh marker'); // the replica has just replayed a commit: its lag starts near 0
    await replicaSql`select pg_wal_replay_pause()`;
    try {
      const posted = await t.call('POST', `/api/v1/videos/${videoId}/comment-threads`, {
        token: owner.token,
        body: { text: 'Seen by me at once' },
      });
      expect(posted.status).toBe(201);
      const upload = await t.call('POST', '/api/v1/videos', {
        token: owner.token,
        body: { channelId, title: 'Just uploaded' },
      });
      await t.database.db.update(videos).set({ state: 'ready' }).where(eq(videos.id, upload.body.video.id));
      expect(await threadsSeenBy(owner.token)).toContain('Seen by me at once');
      const own = await t.call('GET', `/api/v1/videos?channelId=${channelId}`, { token: owner.token });
      expect(own.body.data.map((v: { title: string }) => v.title)).toContain('Just uploaded');
      // Still on the (paused) replica: anonymous pages do not have the new rows yet.
      expect(reads.usingReplica()).toBe(true);
      expect(await threadTexts()).not.toContain('Seen by me at once');
      expect(await anonymousTitles()).not.toContain('Just uploaded');

      // Past the lag bound, reads fall back to the primary, which has everything.
      await waitFor(
        async () => (reads.usingReplica() ? undefined : true),
        15_000,
        () => 'never fell back',
      );
      expect(await threadTexts()).toContain('Seen by me at once');
      const metrics = (await t.call('GET', '/metrics', OPERATOR)).body as string;
      expect(metrics).toContain('vidra_db_replica_reads 0');
      const lag = Number(/vidra_db_replica_lag_seconds ([\d.]+)/.exec(metrics)?.[1]);
      expect(lag).toBeGreaterThan(MAX_LAG_SECONDS);
    } finally {
      await replicaSql`select pg_wal_replay_resume()`;
    }
    await waitFor(
      async () => (reads.usingReplica() ? true : undefined),
      15_000,
      () => 'never returned to the replica',
    );
    expect(await anonymousTitles()).toContain('Just uploaded');
  }, 60_000);

  it('falls back to the primary when the replica dies, and every read still answers', async () => {
    await pair.stopReplica();
    await waitFor(
      async () => (reads.usingReplica() ? undefined : true),
      5000,
      () => 'still reading from a dead replica',
    );
    expect(await anonymousTitles()).toContain('Replicated first');
    expect((await t.call('GET', '/api/v1/search/videos?search=replicated')).status).toBe(200);
    const metrics = (await t.call('GET', '/metrics', OPERATOR)).body as string;
    expect(metrics).toContain('vidra_db_replica_lag_seconds -1');
  }, 30_000);

  function threadsSeenBy(token: string) {
    return threadTexts(token);
  }
});
