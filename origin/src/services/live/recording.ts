import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { jobs, liveEndpoints } from '../../../../db/schema/index.js';
import { LiveSettingsSchema } from '../../../../protocol/live.js';
import {
  HLS_DIR,
  hlsKey,
  initGeneration,
  initName,
  LIVE_SOURCE_RENDITION,
  renditionFile,
  segmentNumber,
  sourceKey,
  videoObjectKey,
} from '../../../../protocol/media.js';
import { JOB_KINDS, JOB_STATES } from '../../../../protocol/runner.js';
import type { Storage } from '../../storage/types.js';
import { removeFilesIfDeleted } from '../cleanup/queue.js';
import type { ServiceContext } from '../context.js';
import {
  claimJob,
  enqueueJob,
  enqueueTranscode,
  type JobRow,
  leaseExpiry,
  settleFailure,
} from '../jobs/queue.js';
import { transitionVideo } from '../videos/lifecycle.js';
import { Fmp4Joiner } from './fmp4-join.js';

/**
 * Queue the replay of an ended session, in the transaction that ends it, when its channel records
 * (`record`, the default). A `recording` job is the durable marker: the origin runs it itself
 * (`buildPendingReplays`), so a crash between the end and the replay loses nothing.
 */
export async function queueRecording(
  tx: Executor,
  session: { channelId: string; videoId: string },
  maxAttempts: number,
): Promise<boolean> {
  const [endpoint] = await tx
    .select({ settings: liveEndpoints.settings })
    .from(liveEndpoints)
    .where(eq(liveEndpoints.channelId, session.channelId));
  if (!LiveSettingsSchema.parse(endpoint?.settings ?? {}).record) return false;
  const [queued] = await tx
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.videoId, session.videoId), eq(jobs.kind, JOB_KINDS.recording)));
  if (queued) return false;
  await enqueueJob(tx, { kind: JOB_KINDS.recording, videoId: session.videoId, payload: {}, maxAttempts });
  return true;
}

/** What building a replay's source found. */
export interface ReplaySource {
  /** Segments of the recorded source rendition joined into the source. */
  segments: number;
  /** Recorded segments left out (they need another init segment: see `buildReplaySource`). */
  dropped: number;
  durationSeconds: number;
}

const readAll = async (storage: Storage, key: string): Promise<Uint8Array> => {
  const object = await storage.get(key);
  if (!object) throw new Error(`${key} vanished while the replay was built`);
  return new Uint8Array(await new Response(object.body).arrayBuffer());
};

/** The live folder of the recorded source rendition (`<video>/hls/source/`). */
const recordedFolder = (videoId: string) =>
  videoObjectKey(videoId, hlsKey(renditionFile(LIVE_SOURCE_RENDITION, '')));

/**
 * Write the replay's source (`sourceKey`) from the recorded source rendition: its first init
 * segment, then its finished segments in msn order, their `tfdt` rewritten so every run (each new
 * FFmpeg of the live job) continues the timeline. A reconnect that changed the codec configuration
 * (a later init, `init_1.mp4`, ...) cannot be joined without a remux, so then only the first run is
 * kept and the rest is counted in `dropped`. Undefined when nothing was recorded.
 */
export async function buildReplaySource(
  storage: Storage,
  videoId: string,
  onProgress: () => Promise<void> = async () => {},
): Promise<ReplaySource | undefined> {
  const folder = recordedFolder(videoId);
  const names = (await storage.list(folder)).map((key) => key.slice(folder.length));
  const segments = names
    .map((name) => ({ name, msn: segmentNumber(name) }))
    .filter((s): s is { name: string; msn: number } => s.msn !== undefined)
    .sort((a, b) => a.msn - b.msn);
  const laterInits = names.some((name) => (initGeneration(name) ?? 0) > 0);
  if (!names.includes(initName(0)) || segments.length === 0) return undefined;

  const init = await readAll(storage, folder + initName(0));
  const joiner = new Fmp4Joiner(init);
  const dir = await mkdtemp(join(tmpdir(), 'vidra-replay-'));
  const file = join(dir, 'source.mp4');
  let joined = 0;
  try {
    const out = createWriteStream(file);
    const write = (bytes: Uint8Array) =>
      new Promise<void>((resolve, reject) =>
        out.write(bytes, (error) => (error ? reject(error) : resolve())),
      );
    await write(init);
    for (const segment of segments) {
      const bytes = await readAll(storage, folder + segment.name);
      if (laterInits && joined > 0 && joiner.startsNewRun(bytes)) break;
      await write(joiner.append(bytes));
      joined++;
      if (joined % 50 === 0) await onProgress();
    }
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    await storage.putFile(sourceKey(videoId), file, { contentType: 'video/mp4' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { segments: joined, dropped: segments.length - joined, durationSeconds: joiner.durationSeconds };
}

/** Claim one due `recording` job for this origin: leased with no runner, so no runner can touch it. */
const claimRecording = (ctx: ServiceContext) => claimJob(ctx, eq(jobs.kind, JOB_KINDS.recording), null);

/** Still ours: leased, by no runner, on the attempt we claimed (a reaped and re-claimed job is not). */
const stillHeld = (job: JobRow) =>
  and(eq(jobs.id, job.id), eq(jobs.state, JOB_STATES.leased), eq(jobs.attempts, job.attempts));

/**
 * Build one replay: its source from the recording, then the live files are removed (the VOD
 * pipeline publishes into the same rendition folders, `source` first), then, in one transaction,
 * the video goes `ended -> queued` and its transcode is queued. Retried from the start on failure;
 * a retry after the live files are gone finds the source already written and goes on from there.
 */
async function runRecording(ctx: ServiceContext, job: JobRow): Promise<ReplaySource | undefined> {
  const videoId = job.videoId as string;
  const extend = async () => {
    await ctx.db
      .update(jobs)
      .set({ leaseExpiresAt: leaseExpiry(ctx, JOB_KINDS.recording) })
      .where(stillHeld(job));
  };
  let built = await buildReplaySource(ctx.storage, videoId, extend);
  const hasSource = built !== undefined || (await ctx.storage.exists(sourceKey(videoId)));
  if (hasSource) await ctx.storage.deletePrefix(videoObjectKey(videoId, HLS_DIR));
  if (!built && hasSource) built = { segments: 0, dropped: 0, durationSeconds: 0 };
  await ctx.db.transaction(async (tx) => {
    const [held] = await tx.select().from(jobs).where(stillHeld(job)).for('update');
    if (!held) return;
    if (hasSource && (await transitionVideo(tx, videoId, 'queued', { progress: 0 })))
      await enqueueTranscode(tx, videoId, ctx.config.jobs.maxAttempts);
    await tx
      .update(jobs)
      .set({ state: JOB_STATES.succeeded, leaseExpiresAt: null, progress: 100, finishedAt: new Date() })
      .where(eq(jobs.id, job.id));
  });
  // The video was deleted meanwhile: its cleanup may have run before the source was written.
  if (hasSource) await removeFilesIfDeleted(ctx, videoId);
  return built;
}

/**
 * Run every due `recording` job, one at a time. Safe on many origins at once (each job is claimed
 * with `SKIP LOCKED`); an origin dying mid-build leaves a lease the lease watch puts back on the
 * queue. Answers how many replays were queued for transcoding.
 */
export async function buildPendingReplays(ctx: ServiceContext): Promise<number> {
  let queued = 0;
  for (;;) {
    const job = await claimRecording(ctx);
    if (!job) return queued;
    try {
      if (await runRecording(ctx, job)) queued++;
    } catch (error) {
      const reason = `Building the replay failed: ${error instanceof Error ? error.message : String(error)}`;
      await ctx.db.transaction(async (tx) => {
        const [held] = await tx.select().from(jobs).where(stillHeld(job)).for('update');
        if (held) await settleFailure(ctx, tx, held, { reason, retryable: true });
      });
    }
  }
}

const running = new WeakMap<ServiceContext, Promise<number>>();

/** `buildPendingReplays` in the background, one run per context at a time; errors go to `onError`. */
export function kickReplays(
  ctx: ServiceContext,
  onError: (error: unknown) => void = () => {},
): Promise<number> {
  const current = running.get(ctx);
  if (current) return current;
  const run = buildPendingReplays(ctx).finally(() => running.delete(ctx));
  run.catch(onError);
  running.set(ctx, run);
  return run;
}
