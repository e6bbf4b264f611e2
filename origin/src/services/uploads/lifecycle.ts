import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { uploads } from '../../../../db/schema/index.js';
import { sourceKey } from '../../../../protocol/media.js';
import { removeFilesIfDeleted } from '../cleanup/queue.js';
import type { ServiceContext } from '../context.js';
import { enqueueTranscode } from '../jobs/queue.js';
import { transitionVideo } from '../videos/lifecycle.js';

/** Record a new upload and move its video to `uploading`. */
export async function startUpload(
  ctx: ServiceContext,
  input: { uploadId: string; videoId: string; userId: string; size: number },
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx.insert(uploads).values({
      id: input.uploadId,
      videoId: input.videoId,
      userId: input.userId,
      size: input.size,
      storageKey: sourceKey(input.videoId),
      expiresAt: new Date(Date.now() + ctx.config.uploads.expirySeconds * 1000),
    });
    await transitionVideo(tx, input.videoId, 'uploading', { progress: 0 });
  });
}

/**
 * Move a fully received file into storage and queue its transcode.
 * Idempotent, so it can run from the tus hook and again from the sweeper after a crash
 * between the last byte and the hook, and no upload is left in limbo.
 */
export async function finalizeUpload(
  ctx: ServiceContext,
  uploadId: string,
  stagedPath: string,
): Promise<boolean> {
  const [upload] = await ctx.db.select().from(uploads).where(eq(uploads.id, uploadId));
  if (upload?.state !== 'pending') return false;
  await ctx.storage.putFile(upload.storageKey, stagedPath, { contentType: 'application/octet-stream' });
  const finished = await ctx.db.transaction(async (tx) => {
    const claimed = await tx
      .update(uploads)
      .set({ state: 'complete', offset: upload.size ?? 0 })
      .where(and(eq(uploads.id, uploadId), eq(uploads.state, 'pending')))
      .returning({ id: uploads.id });
    if (claimed.length === 0) return false;
    if (await transitionVideo(tx, upload.videoId, 'queued', { progress: 0 })) {
      await enqueueTranscode(tx, upload.videoId, ctx.config.jobs.maxAttempts);
    }
    return true;
  });
  // The video was deleted while its last bytes were stored: its cleanup may already have run, so
  // remove what this call just wrote instead of leaving a source nobody will ever delete.
  if (!finished) await removeFilesIfDeleted(ctx, upload.videoId);
  // The staged copy stays until the sweeper's next pass: tus still answers HEAD from it.
  return finished;
}

/**
 * Stop the unfinished uploads of a video being deleted, in the deleting transaction: they no
 * longer count against the quota, their staged bytes go at the sweeper's next pass, and a
 * completion that arrives later finds nothing to finalize.
 */
export async function terminateUploadsOf(tx: Executor, videoId: string): Promise<void> {
  await tx
    .update(uploads)
    .set({ state: 'terminated' })
    .where(and(eq(uploads.videoId, videoId), eq(uploads.state, 'pending')));
}

/** An upload was cancelled (tus termination) or expired: free the quota and let the video take a new file. */
export async function abandonUpload(
  ctx: ServiceContext,
  uploadId: string,
  state: 'terminated' | 'expired',
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [upload] = await tx
      .update(uploads)
      .set({ state })
      .where(and(eq(uploads.id, uploadId), eq(uploads.state, 'pending')))
      .returning();
    if (upload) await transitionVideo(tx, upload.videoId, 'created', { progress: 0 });
  });
}

/** Pending uploads past their expiry; the sweeper abandons them and removes their staged bytes. */
export async function expiredUploadIds(ctx: ServiceContext, now = new Date()): Promise<string[]> {
  const rows = await ctx.db
    .select({ id: uploads.id })
    .from(uploads)
    .where(and(eq(uploads.state, 'pending'), lt(uploads.expiresAt, now)));
  return rows.map((r) => r.id);
}

/** State and declared size of the given uploads, for the sweeper. */
export async function uploadStates(
  ctx: ServiceContext,
  ids: string[],
): Promise<Map<string, { state: string; size: number | null }>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db
    .select({ id: uploads.id, state: uploads.state, size: uploads.size })
    .from(uploads)
    .where(inArray(uploads.id, ids));
  return new Map(rows.map((row) => [row.id, { state: row.state, size: row.size }]));
}
