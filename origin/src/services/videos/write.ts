import { and, eq, ne } from 'drizzle-orm';
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
import type { ServiceContext } from '../context.js';
import { recordEvent } from '../outbox/record.js';
import { refusalToManage } from './access.js';
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
 * Soft-delete: the row moves to `deleted` and disappears from every read. Storage cleanup is
 * the pipeline's job, so deleting never blocks on file removal.
 */
export async function deleteVideo(ctx: ServiceContext, viewer: Viewer, id: string): Promise<void> {
  const row = await loadManagedVideo(ctx, viewer, id);
  if (!canTransition(row.video.state, 'deleted')) throw new ConflictError('This video cannot be deleted now');
  await ctx.db.transaction(async (tx) => {
    const deleted = await tx
      .update(videos)
      .set({ state: 'deleted', updatedAt: new Date() })
      .where(and(eq(videos.id, id), ne(videos.state, 'deleted')))
      .returning({ id: videos.id });
    // A concurrent delete already recorded the event.
    if (deleted.length === 0) return;
    await recordEvent(tx, {
      type: 'video.deleted',
      payload: { videoId: id, channelId: row.video.channelId },
    });
  });
}
