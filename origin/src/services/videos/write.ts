import { eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { videos } from '../../../../db/schema/index.js';
import {
  type CreateVideoInput,
  CreateVideoInputSchema,
  type UpdateVideoInput,
  UpdateVideoInputSchema,
  type VideoDto,
} from '../../../../protocol/api/videos.js';
import { canTransition } from '../../../../protocol/video.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { hashPassword } from '../../auth/passwords.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../lib/errors.js';
import { canManageChannel, findChannelById } from '../channels.js';
import { enqueueCleanup } from '../cleanup/queue.js';
import type { ServiceContext } from '../context.js';
import { cancelJobsOf } from '../jobs/queue.js';
import { recordEvent } from '../outbox/record.js';
import { terminateUploadsOf } from '../uploads/lifecycle.js';
import { refusalToManage } from './access.js';
import { transitionVideo } from './lifecycle.js';
import { loadVideo } from './read.js';
import { toVideoDto, type VideoRow } from './serialize.js';

/** Create a video in `created` state, ready to receive an upload. */
export async function createVideo(
  ctx: ServiceContext,
  viewer: Viewer,
  rawInput: CreateVideoInput,
): Promise<VideoDto> {
  const input = CreateVideoInputSchema.parse(rawInput);
  const channel = await findChannelById(ctx, input.channelId);
  if (!channel) throw new ValidationError([{ path: 'channelId', message: 'No channel has this id' }]);
  if (!canManageChannel(viewer, channel))
    throw new ForbiddenError('You can only add videos to your own channels');
  const [video] = await ctx.db
    .insert(videos)
    .values({
      channelId: channel.id,
      title: input.title,
      description: input.description,
      privacy: input.privacy,
      tags: input.tags,
      passwordHash:
        input.privacy === 'password' && input.password
          ? await hashPassword(input.password, ctx.config.scrypt)
          : null,
    })
    .returning();
  return toVideoDto(ctx, { video: video as VideoRow, channel });
}

async function loadManagedVideo(ctx: ServiceContext, viewer: Viewer, id: string) {
  const row = await loadVideo(ctx, id);
  if (!canManageChannel(viewer, row.channel)) {
    const video = { privacy: row.video.privacy, ownerId: row.channel.ownerId };
    throw refusalToManage(viewer, video, 'Only the video owner or an admin can do this');
  }
  return row;
}

/** Change metadata or privacy. Moving to `password` needs a password unless one is already set. */
export async function updateVideo(
  ctx: ServiceContext,
  viewer: Viewer,
  id: string,
  rawInput: UpdateVideoInput,
): Promise<VideoDto> {
  const input = UpdateVideoInputSchema.parse(rawInput);
  const row = await loadManagedVideo(ctx, viewer, id);
  const privacy = input.privacy ?? row.video.privacy;
  if (privacy === 'password' && !input.password && !row.video.passwordHash) {
    throw new ValidationError([{ path: 'password', message: 'A password video needs a password' }]);
  }
  let passwordHash = row.video.passwordHash;
  if (privacy !== 'password') passwordHash = null;
  else if (input.password) passwordHash = await hashPassword(input.password, ctx.config.scrypt);
  const video = await ctx.db.transaction(async (tx) => {
    // Locked, so the events compare against the row this update replaces, not a stale read.
    const [locked] = await tx.select().from(videos).where(eq(videos.id, id)).for('update');
    const before = (locked ?? row.video) as VideoRow;
    const [after] = await tx
      .update(videos)
      .set({
        title: input.title ?? before.title,
        description: input.description ?? before.description,
        privacy,
        passwordHash,
        commentsPolicy: input.commentsPolicy ?? before.commentsPolicy,
        tags: input.tags ?? before.tags,
        updatedAt: new Date(),
      })
      .where(eq(videos.id, id))
      .returning();
    await recordVideoChanges(tx, before, after as VideoRow, Boolean(input.password));
    return after as VideoRow;
  });
  return toVideoDto(ctx, { video, channel: row.channel });
}

/** `video.updated` and `video.privacy_changed` for what actually changed; nothing for a no-op. */
async function recordVideoChanges(tx: Executor, before: VideoRow, after: VideoRow, newPassword: boolean) {
  const ref = { videoId: after.id, channelId: after.channelId };
  const changed: Array<'title' | 'description' | 'password'> = [];
  if (before.title !== after.title) changed.push('title');
  if (before.description !== after.description) changed.push('description');
  if (newPassword && before.privacy === 'password' && after.privacy === 'password') changed.push('password');
  if (changed.length) {
    await recordEvent(tx, { type: 'video.updated', payload: { ...ref, privacy: after.privacy, changed } });
  }
  if (before.privacy !== after.privacy) {
    await recordEvent(tx, {
      type: 'video.privacy_changed',
      payload: { ...ref, from: before.privacy, to: after.privacy },
    });
  }
}

/**
 * Delete a video, in one transaction: its jobs are cancelled (a runner holding one loses its lease,
 * and nothing it sends is published), its unfinished uploads stopped, the video moves to `deleted`
 * through the state machine (a `video_events` row), `video.deleted` goes to the outbox, and a
 * `cleanup` job is queued to remove its files. The quota stays used until that job succeeds.
 *
 * Locks are taken jobs -> uploads -> video, the order accept, publish and finalize use, so a delete
 * racing them waits instead of deadlocking.
 */
export async function deleteVideo(ctx: ServiceContext, viewer: Viewer, id: string): Promise<void> {
  const row = await loadManagedVideo(ctx, viewer, id);
  if (!canTransition(row.video.state, 'deleted')) throw new ConflictError('This video cannot be deleted now');
  const deleted = await ctx.db.transaction(async (tx) => {
    await cancelJobsOf(tx, [id]);
    await terminateUploadsOf(tx, id);
    if (!(await transitionVideo(tx, id, 'deleted'))) {
      // A concurrent delete already did all of this; anything else is a state that cannot be deleted.
      const [current] = await tx.select({ state: videos.state }).from(videos).where(eq(videos.id, id));
      if (current?.state === 'deleted') return false;
      throw new ConflictError('This video cannot be deleted now');
    }
    // Again, now that the video is locked: a transcode queued by an upload finishing meanwhile.
    await cancelJobsOf(tx, [id]);
    await tx.update(videos).set({ deletedAt: new Date() }).where(eq(videos.id, id));
    await recordEvent(tx, {
      type: 'video.deleted',
      payload: { videoId: id, channelId: row.video.channelId },
    });
    await enqueueCleanup(tx, id);
    return true;
  });
  // Wake this origin's cleanup worker now rather than at its next poll.
  if (deleted) ctx.jobSignals.available();
}
