import { eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { videos } from '../../../../db/schema/index.js';
import { sourcePrefix, videoPrefix } from '../../../../protocol/media.js';
import { JOB_KINDS } from '../../../../protocol/runner.js';
import type { Storage } from '../../storage/types.js';
import type { ServiceContext } from '../context.js';
import { enqueueJob, type JobRow } from '../jobs/queue.js';

/**
 * A cleanup is retried with the queue's capped backoff (at most 10 min apart) this many times,
 * about 16 hours, before it is left `failed`. Even then it is not forgotten: the admin cleanup list
 * shows it, and the video's bytes keep counting against its owner's quota.
 */
export const CLEANUP_MAX_ATTEMPTS = 100;

/** Queue the removal of a deleted video's files, in the deleting transaction. */
export async function enqueueCleanup(tx: Executor, videoId: string): Promise<JobRow> {
  return enqueueJob(tx, { kind: JOB_KINDS.cleanup, videoId, payload: {}, maxAttempts: CLEANUP_MAX_ATTEMPTS });
}

/**
 * Remove every stored file of a video: its source and everything published for it. Idempotent, so
 * a retry or a second origin redoing it is harmless. Throws when anything is left afterwards (a
 * write that raced the delete), so the job is retried rather than reported done.
 */
export async function removeVideoFiles(storage: Storage, videoId: string): Promise<number> {
  let removed = 0;
  for (const prefix of [sourcePrefix(videoId), videoPrefix(videoId)]) {
    removed += await storage.deletePrefix(prefix);
    const left = await storage.list(prefix);
    if (left.length > 0) throw new Error(`${left.length} file(s) under ${prefix} are still stored`);
  }
  return removed;
}

/**
 * For a write that raced a delete (a runner's file upload, an upload's source landing in storage):
 * when the video is deleted by now, its cleanup may already have run, so remove its files again
 * instead of leaving some that nothing would ever delete. True when it did.
 */
export async function removeFilesIfDeleted(ctx: ServiceContext, videoId: string): Promise<boolean> {
  const [row] = await ctx.db.select({ state: videos.state }).from(videos).where(eq(videos.id, videoId));
  if (row?.state !== 'deleted') return false;
  await removeVideoFiles(ctx.storage, videoId);
  return true;
}
