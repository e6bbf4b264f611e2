import { eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { jobs, renditions, videos } from '../../../../db/schema/index.js';
import { videoObjectKey } from '../../../../protocol/media.js';
import { JOB_KINDS, type PublishInput, PublishInputSchema } from '../../../../protocol/runner.js';
import { ConflictError, LeaseGoneError, NotFoundError, ValidationError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { recordVideoPublished } from '../videos/domain-events.js';
import { setVideoProgress, transitionVideo } from '../videos/lifecycle.js';
import { videoOf } from './queue.js';

export type PublishOutcome = 'published' | 'duplicate';

const CANCELLED = 'This job was cancelled (its video was deleted); stop working on it';

async function assertFilesExist(ctx: ServiceContext, videoId: string, input: PublishInput): Promise<void> {
  const paths = [input.master, ...input.renditions.map((r) => r.playlist)];
  if (input.thumbnail) paths.push(input.thumbnail);
  if (input.storyboard) paths.push(input.storyboard.image, input.storyboard.vtt);
  const missing: string[] = [];
  for (const path of paths)
    if (!(await ctx.storage.exists(videoObjectKey(videoId, path)))) missing.push(path);
  if (missing.length) {
    throw new ValidationError(
      missing.map((path) => ({ path: 'files', message: `${path} was not uploaded` })),
      'Upload every output file before publishing',
    );
  }
}

/**
 * Record what was published. Keys are stored relative to the video (`hls/master.m3u8`), as the
 * runner sent them: the video's prefix is added where a file is read (`videoObjectKey`). The
 * storyboard image is not stored: its VTT names it, and the storyboard token opens both.
 */
async function writeOutputs(tx: Executor, videoId: string, input: PublishInput): Promise<void> {
  await tx.delete(renditions).where(eq(renditions.videoId, videoId));
  await tx.insert(renditions).values(
    input.renditions.map((r) => ({
      videoId,
      width: r.width ?? 0,
      height: r.height ?? 0,
      bitrate: r.bitrate,
      codecs: r.codecs ?? null,
      playlistKey: r.playlist,
    })),
  );
  await tx
    .update(videos)
    .set({
      durationSeconds: input.durationSeconds,
      assets: {
        version: Date.now(),
        master: input.master,
        ...(input.thumbnail ? { thumbnail: input.thumbnail } : {}),
        ...(input.storyboard ? { storyboardVtt: input.storyboard.vtt } : {}),
      },
    })
    .where(eq(videos.id, videoId));
}

/**
 * Publish a job's outputs. `stage: 'preview'` is fast first play (a stream-copied rendition, the
 * video becomes playable while the ladder encodes); `stage: 'final'` replaces it with the ladder and
 * ends the job. Both are idempotent: a repeated or late call answers `duplicate` and publishes
 * nothing; a call from a runner that lost its lease is a conflict.
 */
export async function publishJob(
  ctx: ServiceContext,
  input: { jobId: string; runnerId: string; stage: 'preview' | 'final'; outputs: PublishInput },
): Promise<PublishOutcome> {
  const outputs = PublishInputSchema.parse(input.outputs);
  const [peek] = await ctx.db.select().from(jobs).where(eq(jobs.id, input.jobId));
  if (!peek) throw new NotFoundError('Job');
  if (peek.state === 'succeeded') return 'duplicate';
  if (peek.kind !== JOB_KINDS.transcode)
    throw new ConflictError(`A ${peek.kind} job publishes no video outputs`);
  // Before looking at storage: a deleted video's files may already be gone, and that is a 409, not a 400.
  if (peek.state === 'cancelled') throw new LeaseGoneError(CANCELLED);
  const videoId = videoOf(peek);
  await assertFilesExist(ctx, videoId, outputs);

  return ctx.db.transaction(async (tx) => {
    const [job] = await tx.select().from(jobs).where(eq(jobs.id, input.jobId)).for('update');
    if (!job) throw new NotFoundError('Job');
    if (job.state === 'succeeded') return 'duplicate';
    if (job.state === 'cancelled') throw new LeaseGoneError(CANCELLED);
    if (input.stage === 'preview' && job.previewPublishedAt) return 'duplicate';
    if (job.state !== 'leased' || job.runnerId !== input.runnerId) {
      throw new LeaseGoneError('This runner no longer holds the job; another runner may have taken it over');
    }
    // Locked after the job, like deleteVideo does: nothing is ever published onto a deleted video.
    const [video] = await tx
      .select({ state: videos.state })
      .from(videos)
      .where(eq(videos.id, videoId))
      .for('update');
    if (!video || video.state === 'deleted') throw new LeaseGoneError(CANCELLED);
    await writeOutputs(tx, videoId, outputs);
    await recordVideoPublished(tx, { ...job, videoId }, input.stage);
    if (input.stage === 'preview') {
      await tx.update(jobs).set({ previewPublishedAt: new Date() }).where(eq(jobs.id, job.id));
      await transitionVideo(tx, videoId, 'ready', { progress: job.progress });
      return 'published';
    }
    await tx
      .update(jobs)
      .set({ state: 'succeeded', progress: 100, finishedAt: new Date(), error: null })
      .where(eq(jobs.id, job.id));
    // A video made ready by its preview stays ready: the ladder replaces the renditions quietly.
    if (!(await transitionVideo(tx, videoId, 'ready', { progress: 100 }))) {
      await setVideoProgress(tx, videoId, 100);
    }
    return 'published';
  });
}
