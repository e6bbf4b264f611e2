import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs, liveSessions, videos } from '../../db/schema/index.js';
import {
  hlsKey,
  LIVE_SOURCE_RENDITION,
  renditionFile,
  sourceKey,
  videoObjectKey,
} from '../../protocol/media.js';
import { kickReplays } from '../src/services/live/recording.js';
import { endExpiredSessions } from '../src/services/live/sessions.js';
import { createTestApp, DRIVERS, type TestApp } from './harness.js';
import { goLive } from './live-client.js';
import { liveStreamBytes, packageRecording, type Recording, storeRecording } from './live-recording.js';

const run = promisify(execFile);

/** ffprobe's duration of a stored object, in seconds. */
async function probedSeconds(bytes: Uint8Array): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vidra-replay-probe-'));
  try {
    const file = path.join(dir, 'source.mp4');
    writeFileSync(file, bytes);
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format=duration',
      '-of',
      'csv=p=0',
      file,
    ]);
    return Number(stdout.trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(DRIVERS)('live replays on %s', (driver) => {
  let t: TestApp;
  let oneRun: Recording;
  let reconnected: Recording;

  beforeAll(async () => {
    t = await createTestApp(driver);
    const stream = await liveStreamBytes(5);
    oneRun = packageRecording([stream]);
    // The encoder reconnected once with the same codec configuration: one init, two runs.
    reconnected = packageRecording([stream, await liveStreamBytes(3)]);
  }, 60_000);
  afterAll(() => t.close());

  /** A channel on air (optionally not recording), with `recording` stored as the hub would. */
  async function endedLive(recording: Recording | undefined, settings: { record?: boolean } = {}) {
    const { videoId, sessionId } = await goLive(t, 'replay', settings);
    if (recording) await storeRecording(t.storage, videoId, recording);
    // The publisher left and its reconnect window has passed.
    await t.database.db
      .update(liveSessions)
      .set({ disconnectedAt: new Date(Date.now() - 10_000), reconnectDeadline: new Date(Date.now() - 1000) })
      .where(eq(liveSessions.id, sessionId));
    expect(await endExpiredSessions(t.services)).toBeGreaterThanOrEqual(1);
    await kickReplays(t.services);
    await kickReplays(t.services);
    return videoId;
  }

  const stateOf = async (videoId: string) =>
    (await t.database.db.select({ state: videos.state }).from(videos).where(eq(videos.id, videoId)))[0]
      ?.state;
  const jobsOf = (videoId: string, kind: string) =>
    t.database.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.videoId, videoId), eq(jobs.kind, kind)));
  const liveFile = (videoId: string, name: string) =>
    videoObjectKey(videoId, hlsKey(renditionFile(LIVE_SOURCE_RENDITION, name)));

  it('turns the recorded source rendition into the source of a queued VOD transcode', async () => {
    const videoId = await endedLive(oneRun);
    const stored = await t.storage.get(sourceKey(videoId));
    expect(stored).toBeDefined();
    const bytes = new Uint8Array(await new Response(stored?.body).arrayBuffer());
    expect(Math.abs((await probedSeconds(bytes)) - oneRun.recordedSeconds)).toBeLessThan(0.5);
    expect(await stateOf(videoId)).toBe('queued');
    const transcodes = await jobsOf(videoId, 'transcode');
    expect(transcodes.map((j) => j.state)).toEqual(['pending']);
    expect((await jobsOf(videoId, 'recording')).map((j) => j.state)).toEqual(['succeeded']);
    // The live files are gone: the VOD pipeline publishes into the same rendition folders.
    expect(await t.storage.exists(liveFile(videoId, oneRun.inits[0]?.name as string))).toBe(false);
    expect(await t.storage.exists(liveFile(videoId, oneRun.segments[0]?.name as string))).toBe(false);
  }, 60_000);

  it('joins the runs of a reconnect into one timeline as long as both', async () => {
    expect(reconnected.inits).toHaveLength(1);
    const videoId = await endedLive(reconnected);
    const stored = await t.storage.get(sourceKey(videoId));
    const bytes = new Uint8Array(await new Response(stored?.body).arrayBuffer());
    expect(reconnected.recordedSeconds).toBeGreaterThan(7);
    expect(Math.abs((await probedSeconds(bytes)) - reconnected.recordedSeconds)).toBeLessThan(0.5);
    expect(await stateOf(videoId)).toBe('queued');
  }, 60_000);

  it('keeps only the first run when a reconnect changed the codec configuration (a later init)', async () => {
    const first = packageRecording([await liveStreamBytes(5)]);
    const changed: Recording = {
      ...reconnected,
      inits: [...reconnected.inits, { name: 'init_1.mp4', bytes: reconnected.inits[0]?.bytes as Uint8Array }],
    };
    const videoId = await endedLive(changed);
    const stored = await t.storage.get(sourceKey(videoId));
    const bytes = new Uint8Array(await new Response(stored?.body).arrayBuffer());
    expect(Math.abs((await probedSeconds(bytes)) - first.recordedSeconds)).toBeLessThan(0.5);
    expect(await stateOf(videoId)).toBe('queued');
  }, 60_000);

  it('is idempotent: running the replays again queues nothing more', async () => {
    const videoId = await endedLive(oneRun);
    expect(await kickReplays(t.services)).toBe(0);
    expect(await jobsOf(videoId, 'transcode')).toHaveLength(1);
    expect(await jobsOf(videoId, 'recording')).toHaveLength(1);
  }, 60_000);

  it('leaves a live that recorded nothing ended, and queues no transcode', async () => {
    const videoId = await endedLive(undefined);
    expect(await stateOf(videoId)).toBe('ended');
    expect(await jobsOf(videoId, 'transcode')).toHaveLength(0);
    expect(await t.storage.exists(sourceKey(videoId))).toBe(false);
  });

  it('with recording off, the video ends as ended: no recording job, no source, no transcode', async () => {
    const videoId = await endedLive(oneRun, { record: false });
    expect(await stateOf(videoId)).toBe('ended');
    expect(await jobsOf(videoId, 'recording')).toHaveLength(0);
    expect(await jobsOf(videoId, 'transcode')).toHaveLength(0);
    expect(await t.storage.exists(sourceKey(videoId))).toBe(false);
    // Nothing recorded is deleted either.
    expect(await t.storage.exists(liveFile(videoId, oneRun.segments[0]?.name as string))).toBe(true);
  });
});
