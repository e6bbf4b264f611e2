import { and, asc, eq } from 'drizzle-orm';
import { chatModerators, users } from '../../../../db/schema/index.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { ForbiddenError, NotFoundError } from '../../lib/errors.js';
import { canManageChannel, findChannelByHandle } from '../channels.js';
import type { ServiceContext } from '../context.js';

export interface ChatModeratorDto {
  userId: string;
  username: string;
  since: string;
}

async function ownedChannel(ctx: ServiceContext, viewer: Viewer, handle: string) {
  const channel = await findChannelByHandle(ctx, handle);
  if (!canManageChannel(viewer, channel))
    throw new ForbiddenError('Only the channel owner names chat moderators');
  return channel;
}

/** The chat moderators the owner of `handle` named (owner or admin only). */
export async function listChatModerators(
  ctx: ServiceContext,
  viewer: Viewer,
  handle: string,
): Promise<ChatModeratorDto[]> {
  const channel = await ownedChannel(ctx, viewer, handle);
  const rows = await ctx.db
    .select({ userId: chatModerators.userId, username: users.username, since: chatModerators.createdAt })
    .from(chatModerators)
    .innerJoin(users, eq(users.id, chatModerators.userId))
    .where(eq(chatModerators.channelId, channel.id))
    .orderBy(asc(chatModerators.createdAt));
  return rows.map((r) => ({ ...r, since: r.since.toISOString() }));
}

/**
 * Name a chat moderator by username; naming one twice changes nothing. Rooms read the list when a
 * client joins, so a new moderator's powers start with their next connection.
 */
export async function addChatModerator(
  ctx: ServiceContext,
  viewer: Viewer,
  input: { handle: string; username: string },
): Promise<ChatModeratorDto[]> {
  const channel = await ownedChannel(ctx, viewer, input.handle);
  const [user] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.username, input.username));
  if (!user) throw new NotFoundError('User');
  await ctx.db
    .insert(chatModerators)
    .values({ channelId: channel.id, userId: user.id })
    .onConflictDoNothing();
  return listChatModerators(ctx, viewer, input.handle);
}

export async function removeChatModerator(
  ctx: ServiceContext,
  viewer: Viewer,
  input: { handle: string; username: string },
): Promise<ChatModeratorDto[]> {
  const channel = await ownedChannel(ctx, viewer, input.handle);
  const [user] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.username, input.username));
  if (user) {
    await ctx.db
      .delete(chatModerators)
      .where(and(eq(chatModerators.channelId, channel.id), eq(chatModerators.userId, user.id)));
  }
  return listChatModerators(ctx, viewer, input.handle);
}
