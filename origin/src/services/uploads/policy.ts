import { and, eq, inArray, ne, or, sql } from 'drizzle-orm';
import { jobs, uploads, users, videos } from '../../../../db/schema/index.js';
import { JOB_KINDS } from '../../../../protocol/runner.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { ConflictError, NotFoundError, ServiceError, ValidationError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { refusalToManage } from '../videos/access.js';
import { loadVideo } from '../videos/read.js';

const MiB = 1024 * 1024;

/** The video (deleted) has a cleanup job that has not succeeded yet. */
const filesNotRemovedYet = sql`exists (select 1 from ${jobs} where ${jobs.videoId} = ${videos.id} and ${jobs.kind} = ${JOB_KINDS.cleanup} and ${jobs.state} <> 'succeeded')`;
const formatBytes = (bytes: number) =>
  bytes >= 1024 * MiB ? `${(bytes / 1024 / MiB).toFixed(1)} GiB` : `${Math.ceil(bytes / MiB)} MiB`;

/**
 * Bytes of sources the user stores now, counting unfinished uploads at their declared size. A deleted
 * video still counts until its cleanup job has succeeded: its files are stored until then, and
 * giving the quota back at the delete would let storage grow without limit.
 */
export async function usedQuotaBytes(ctx: ServiceContext, userId: string): Promise<number> {
  const [row] = await ctx.db
    .select({ used: sql<string>`coalesce(sum(${uploads.size}), 0)` })
    .from(uploads)
    .innerJoin(videos, eq(videos.id, uploads.videoId))
    .where(
      and(
        eq(uploads.userId, userId),
        inArray(uploads.state, ['pending', 'complete']),
        or(ne(videos.state, 'deleted'), filesNotRemovedYet),
      ),
    );
  return Number(row?.used ?? 0);
}

/**
 * Decide, before any byte is stored, whether `viewer` may upload `size` bytes to `videoId`:
 * only the owner, only into a video still waiting for its file, within the per-upload limit and
 * the user's quota. Every refusal carries a message the uploader can act on.
 */
export async function authorizeUpload(
  ctx: ServiceContext,
  viewer: Viewer,
  input: { videoId: string | undefined; size: number | undefined },
): Promise<{ videoId: string }> {
  if (!input.videoId) {
    throw new ValidationError([
      { path: 'Upload-Metadata.videoId', message: 'Name the video with videoId in Upload-Metadata' },
    ]);
  }
  if (input.size === undefined) {
    throw new ValidationError([
      { path: 'Upload-Length', message: 'Declare the file size: deferred lengths are not accepted' },
    ]);
  }
  const row = await loadVideo(ctx, input.videoId).catch(() => {
    throw new NotFoundError('Video');
  });
  if (viewer.userId !== row.channel.ownerId) {
    const video = { privacy: row.video.privacy, ownerId: row.channel.ownerId };
    throw refusalToManage(viewer, video, 'You can only upload to your own videos');
  }
  if (row.video.state !== 'created') {
    throw new ConflictError(
      `This video already has a file (it is ${row.video.state}); create a new video instead`,
    );
  }
  const { maxBytes, defaultQuotaBytes } = ctx.config.uploads;
  if (input.size > maxBytes) {
    throw new ServiceError(
      'payload_too_large',
      `The file is ${formatBytes(input.size)}; the limit is ${formatBytes(maxBytes)} per upload`,
    );
  }
  const [user] = await ctx.db
    .select({ quota: users.videoQuotaBytes })
    .from(users)
    .where(eq(users.id, viewer.userId));
  const quota = user?.quota ?? defaultQuotaBytes;
  const used = await usedQuotaBytes(ctx, viewer.userId);
  if (used + input.size > quota) {
    throw new ServiceError(
      'payload_too_large',
      `This upload would exceed your quota: ${formatBytes(used)} of ${formatBytes(quota)} used, the file is ${formatBytes(input.size)}`,
    );
  }
  return { videoId: row.video.id };
}

/** Only the user who created an upload may resume, inspect or cancel it. */
export async function assertOwnsUpload(ctx: ServiceContext, viewer: Viewer, uploadId: string): Promise<void> {
  const [upload] = await ctx.db
    .select({ userId: uploads.userId })
    .from(uploads)
    .where(eq(uploads.id, uploadId));
  if (!upload) throw new NotFoundError('Upload');
  // Upload ids are unguessable; someone else's answers like one that does not exist.
  if (upload.userId !== viewer.userId) throw new NotFoundError('Upload');
}
