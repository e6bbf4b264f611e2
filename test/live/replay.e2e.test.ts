import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSessions } from '../../db/schema/index.js';
import { createLogger } from '../../origin/src/lib/logger.js';
import { watchReconnects } from '../../origin/src/services/live/reconnect-watch.js';
import { leases, TEST_CONFIG } from '../../origin/test/harness.js';
import { goLive } from '../../origin/test/live-client.js';
import { liveStreamBytes, packageRecording, storeRecording } from '../../origin/test/live-recording.js';
import { killGroup, spawnTranscoder, startOriginServer, waitFor } from '../support/stack.js';

type Stack = Awaited<ReturnType<typeof startOriginServer>>;
const INTERNAL = { authorization: `Bearer ${TEST_CONFIG.internalApiToken}` };

describe('live replay end to end (PostgreSQL, real FFmpeg, a transcoder process)', () => {
  let stack: Stack;
  let watch: ReturnType<typeof watchReconnects>;
  let transcoder: ReturnType<typeof spawnTranscoder>;

  beforeAll(async () => {
    stack = await startOriginServer('postgres', {
      jobs: { leaseSeconds: leases(10), retryBaseSeconds: 0, maxAttempts: 3 },
      live: { ...TEST_CONFIG.live, reconnectSeconds: 1 },
    });
    // What main.ts runs: the reconnect timer and sweep, which end sessions and build replays.
    watch = watchReconnects(stack.services, { logger: createLogger('silent'), intervalMs: 1000 });
    transcoder = spawnTranscoder(stack.url, 'replay');
  });
  afterAll(async () => {
    await killGroup(transcoder.child);
    watch.stop();
    await stack.close();
  });

  it('makes the recording of an ended live a ready VOD as long as the live', async () => {
    // A live that went through a reconnect: two runs of the encoder, one init.
    const recording = packageRecording([await liveStreamBytes(5), await liveStreamBytes(3)]);
    const live = await goLive(stack, 'replaye2e');
    await storeRecording(stack.storage, live.videoId, recording);

    const left = await stack.call('POST', `/internal/v1/live/sessions/${live.sessionId}/disconnected`, {
      headers: INTERNAL,
      body: { node: 'ingest-1' },
    });
    expect(left.body.outcome).toBe('reconnect_window');
    const video = async () =>
      (await stack.call('GET', `/api/v1/videos/${live.videoId}`, { token: live.owner.token })).body;
    const endedAt = await waitFor(
      async () =>
        (await stack.database.db.select().from(liveSessions).where(eq(liveSessions.id, live.sessionId)))[0]
          ?.endedAt ?? undefined,
      10_000,
      () => 'the session never ended',
    );
    const firstPlay = await waitFor(
      async () => {
        const v = await video();
        return v.state === 'ready' || v.state === 'failed' ? v : undefined;
      },
      60_000,
      () => transcoder.output(),
    );
    const firstPlayMs = Date.now() - endedAt.getTime();
    expect(firstPlay.state).toBe('ready');
    const done = await waitFor(
      async () => {
        const v = await video();
        return v.state === 'ready' && v.progress === 100 ? v : undefined;
      },
      90_000,
      () => transcoder.output(),
    );
    const ladderMs = Date.now() - endedAt.getTime();
    console.info(
      `live replay: recorded ${recording.recordedSeconds.toFixed(2)} s; ended -> ready (fast first play) ${firstPlayMs} ms, ladder done ${ladderMs} ms; durationSeconds ${done.durationSeconds}`,
    );
    expect(Math.abs(done.durationSeconds - recording.recordedSeconds)).toBeLessThan(1);
    expect(firstPlayMs).toBeLessThan(15_000);
  }, 180_000);
});
