import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../db/schema/index.js';
import { sourceKey, sourcePrefix, videoObjectKey, videoPrefix } from '../../protocol/media.js';
import { removeVideoFiles } from '../src/services/cleanup/queue.js';
import { createS3Storage } from '../src/storage/s3.js';
import { createTestApp, DRIVERS, type TestApp } from './harness.js';
import { queuedTestVideo } from './runner-client.js';
import { startTestS3Server } from './storage/s3-server.js';

const until = async (check: () => Promise<boolean>, ms = 5000) => {
  for (const started = Date.now(); !(await check()); ) {
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe.each(DRIVERS)('cleanup of deleted videos on %s', (driver) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp['signUp']>>;
  let admin: Awaited<ReturnType<TestApp['signUpAdmin']>>;
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp(driver, {}, { cleanupWorker: true });
    owner = await t.signUp('cleanup');
    admin = await t.signUpAdmin();
    channelId = (
      await t.call('POST', '/api/v1/channels', {
        token: owner.token,
        body: { handle: `cl_${owner.userId.slice(0, 6)}`, displayName: 'C' },
      })
    ).body.id;
  });
  afterAll(() => t.close());

  const cleanupOf = async (videoId: string) =>
    (
      await t.database.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.videoId, videoId), eq(jobs.kind, 'cleanup')))
    )[0];
  /** A video with a stored source and one published file. */
  async function storedVideo() {
    const { videoId } = await queuedTestVideo(t, owner.token, channelId);
    await t.storage.put(sourceKey(videoId), 'source');
    await t.storage.put(videoObjectKey(videoId, 'hls/master.m3u8'), '#EXTM3U\n');
    return videoId;
  }
  const del = (videoId: string) => t.call('DELETE', `/api/v1/videos/${videoId}`, { token: owner.token });
  const adminList = async (query = '') =>
    (await t.call('GET', `/api/v1/admin/cleanup${query}`, { token: admin.token })).body;

  it('runs the cleanup in the origin as soon as the video is deleted', async () => {
    const videoId = await storedVideo();
    expect((await del(videoId)).status).toBe(204);
    await until(async () => (await cleanupOf(videoId))?.state === 'succeeded');
    expect(await t.storage.list(sourcePrefix(videoId))).toEqual([]);
    expect(await t.storage.list(videoPrefix(videoId))).toEqual([]);
    expect((await cleanupOf(videoId))?.runnerId).toMatch(/^origin-cleanup:/);
    expect((await adminList('?limit=100')).items.map((i: { videoId: string }) => i.videoId)).not.toContain(
      videoId,
    );
  });

  it('retries a cleanup whose storage failed, and records why', async () => {
    const videoId = await storedVideo();
    const original = t.storage.deletePrefix;
    let failures = 0;
    let reasonWhileRetrying: string | null | undefined;
    t.storage.deletePrefix = async (prefix) => {
      if (prefix.includes(videoId) && failures++ === 0) throw new Error('storage is unreachable');
      // The second attempt runs with the first one's reason still on the job, where admins see it.
      if (prefix.includes(videoId) && reasonWhileRetrying === undefined)
        reasonWhileRetrying = (await cleanupOf(videoId))?.error;
      return original.call(t.storage, prefix);
    };
    try {
      expect((await del(videoId)).status).toBe(204);
      await until(async () => (await cleanupOf(videoId))?.state === 'succeeded');
    } finally {
      t.storage.deletePrefix = original;
    }
    expect(reasonWhileRetrying).toBe('Could not remove the files: storage is unreachable');
    // Success clears the reason: a finished job no longer reads as failing.
    expect(await cleanupOf(videoId)).toMatchObject({ attempts: 2, error: null });
    expect(await t.storage.list(sourcePrefix(videoId))).toEqual([]);
  });

  it('keeps a cleanup that ran out of attempts visible to admins as failed', async () => {
    const videoId = await storedVideo();
    const original = t.storage.deletePrefix;
    t.storage.deletePrefix = async (prefix) => {
      if (!prefix.includes(videoId)) return original.call(t.storage, prefix);
      // Fewer attempts than the default, so the test does not wait for a hundred retries.
      await t.database.db
        .update(jobs)
        .set({ maxAttempts: 2 })
        .where(and(eq(jobs.videoId, videoId), eq(jobs.kind, 'cleanup')));
      throw new Error('bucket is read-only');
    };
    try {
      expect((await del(videoId)).status).toBe(204);
      await until(async () => (await cleanupOf(videoId))?.state === 'failed');
    } finally {
      t.storage.deletePrefix = original;
    }
    const item = (await adminList('?limit=100')).items.find(
      (i: { videoId: string }) => i.videoId === videoId,
    );
    expect(item).toMatchObject({
      state: 'failed',
      attempts: 2,
      maxAttempts: 2,
      lastError: 'Could not remove the files: bucket is read-only',
      nextAttemptAt: null,
    });
    expect(await t.storage.exists(sourceKey(videoId))).toBe(true);
  });

  it('pages the admin list with a cursor', async () => {
    const original = t.storage.deletePrefix;
    // Hold every cleanup back, so each deleted video stays on the list.
    t.storage.deletePrefix = async () => {
      throw new Error('paused');
    };
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const videoId = await storedVideo();
        expect((await del(videoId)).status).toBe(204);
        ids.push(videoId);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await adminList(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((i: { videoId: string }) => i.videoId));
        cursor = page.nextCursor;
      } while (cursor);
      for (const id of ids) expect(seen.filter((s) => s === id)).toHaveLength(1);
      expect(seen.indexOf(ids[2] as string)).toBeLessThan(seen.indexOf(ids[0] as string));
      const bad = await t.call('GET', '/api/v1/admin/cleanup?cursor=nope', { token: admin.token });
      expect(bad.status).toBe(400);
    } finally {
      t.storage.deletePrefix = original;
    }
  });
});

describe('removing a video from S3 storage (s3rver)', () => {
  it('leaves nothing under either prefix, and nothing of another video goes', async () => {
    const server = await startTestS3Server('vidra-cleanup');
    try {
      const storage = createS3Storage({
        endpoint: server.endpoint,
        bucket: 'vidra-cleanup',
        region: 'us-east-1',
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
      });
      const [gone, kept] = ['0b9c2f5e-0000-4000-8000-000000000001', '0b9c2f5e-0000-4000-8000-000000000002'];
      for (const id of [gone, kept]) {
        await storage.put(sourceKey(id), 'source');
        for (const file of ['hls/master.m3u8', 'hls/240p/index.m3u8', 'hls/240p/seg_00001.m4s'])
          await storage.put(videoObjectKey(id, file), 'x');
      }
      expect(await removeVideoFiles(storage, gone)).toBe(4);
      expect(await storage.list(sourcePrefix(gone))).toEqual([]);
      expect(await storage.list(videoPrefix(gone))).toEqual([]);
      expect(await storage.list(videoPrefix(kept))).toHaveLength(3);
      expect(await removeVideoFiles(storage, gone)).toBe(0);
    } finally {
      await server.stop();
    }
  });
});
