import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs, renditions, videoEvents, videos } from '../../db/schema/index.js';
import { leases } from '../../origin/test/harness.js';
import { sourcePrefix, videoPrefix } from '../../protocol/media.js';
import { generateClip, killGroup, spawnTranscoder, startOriginServer, waitFor } from '../support/stack.js';
import { uploadInterrupted } from '../support/tus.js';

// Defends (issue 9, acceptance): "A video deleted while transcoding is never published", and
// "storage holds no file of that video once its cleanup job is done".
const run = promisify(execFile);

describe('a video deleted while a real transcoder works on it (PostgreSQL, FFmpeg)', () => {
  let stack: Awaited<ReturnType<typeof startOriginServer>>;
  let dir: string;
  let transcoder: ReturnType<typeof spawnTranscoder> | undefined;

  beforeAll(async () => {
    stack = await startOriginServer(
      'postgres',
      { jobs: { leaseSeconds: leases(3), retryBaseSeconds: 0, maxAttempts: 3 } },
      { cleanupWorker: true },
    );
    dir = await mkdtemp(path.join(tmpdir(), 'vidra-delete-e2e-'));
  });
  afterAll(async () => {
    if (transcoder) await killGroup(transcoder.child);
    await stack.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stops the transcoder, publishes nothing, and leaves no file of the video behind', async () => {
    const user = await stack.signUp('e2edel');
    const channelId = (
      await stack.call('POST', '/api/v1/channels', {
        token: user.token,
        body: { handle: `del_${user.userId.slice(0, 6)}`, displayName: 'Del' },
      })
    ).body.id;
    const videoId = (
      await stack.call('POST', '/api/v1/videos', { token: user.token, body: { channelId, title: 'Doomed' } })
    ).body.video.id as string;
    // MPEG-4 Part 2 is not web-compatible: no fast-first-play preview, the whole ladder is encoded.
    const clip = await generateClip(path.join(dir, 'long.mp4'), {
      width: 640,
      height: 360,
      seconds: 30,
      codec: 'mpeg4',
    });
    transcoder = spawnTranscoder(stack.url, 'doomed');
    const file = readFileSync(clip);
    await uploadInterrupted(
      file,
      { endpoint: `${stack.url}/api/v1/uploads`, token: user.token, videoId },
      256 * 1024,
    );

    const jobOf = async () =>
      (
        await stack.database.db
          .select()
          .from(jobs)
          .where(and(eq(jobs.videoId, videoId), eq(jobs.kind, 'transcode')))
      )[0];
    // FFmpeg is running: the job is leased and the transcoder has a work folder for it.
    await waitFor(
      async () =>
        (await jobOf())?.state === 'leased' && readdirSync(transcoder?.workDir as string).length > 0
          ? true
          : undefined,
      60_000,
      () => transcoder?.output() ?? '',
    );
    expect((await stack.call('DELETE', `/api/v1/videos/${videoId}`, { token: user.token })).status).toBe(204);

    // Its next heartbeat says the lease is gone: FFmpeg stops and the temp files go.
    await waitFor(
      async () => (transcoder?.output().includes('lease lost') ? true : undefined),
      15_000,
      () => transcoder?.output() ?? '',
    );
    const workDir = transcoder.workDir;
    await waitFor(
      async () => (readdirSync(workDir).length === 0 ? true : undefined),
      15_000,
      () => `left in ${workDir}: ${readdirSync(workDir).join(', ')}`,
    );
    const { stdout } = await run('ps', ['-eo', 'args']);
    expect(stdout.split('\n').filter((line) => line.includes(workDir))).toEqual([]);

    // The cleanup job removes the source and anything uploaded before the delete.
    await waitFor(
      async () => {
        const [cleanup] = await stack.database.db
          .select()
          .from(jobs)
          .where(and(eq(jobs.videoId, videoId), eq(jobs.kind, 'cleanup')));
        return cleanup?.state === 'succeeded' ? true : undefined;
      },
      30_000,
      () => 'cleanup did not succeed',
    );
    expect(await stack.storage.list(sourcePrefix(videoId))).toEqual([]);
    expect(await stack.storage.list(videoPrefix(videoId))).toEqual([]);

    // Never published: no assets, no renditions, never `ready`; the job stays cancelled.
    const [video] = await stack.database.db.select().from(videos).where(eq(videos.id, videoId));
    expect(video).toMatchObject({ state: 'deleted', assets: null });
    expect(await stack.database.db.select().from(renditions).where(eq(renditions.videoId, videoId))).toEqual(
      [],
    );
    const states = (
      await stack.database.db.select().from(videoEvents).where(eq(videoEvents.videoId, videoId))
    ).map((e) => e.state);
    expect(states).not.toContain('ready');
    expect(states.at(-1)).toBe('deleted');
    expect((await jobOf())?.state).toBe('cancelled');
    expect(await stack.storage.list(videoPrefix(videoId))).toEqual([]);
  });
});
