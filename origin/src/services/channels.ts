import { asc, eq, sql } from 'drizzle-orm';
import { channels } from '../../../db/schema/index.js';
import {
  type ChannelDto,
  type CreateChannelInput,
  CreateChannelInputSchema,
  type UpdateChannelInput,
  UpdateChannelInputSchema,
} from '../../../protocol/api/channels.js';
import type { Viewer } from '../auth/access-tokens.js';
import { ACTOR_NAMES_KEY, isUniqueViolation } from '../lib/db-errors.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../lib/errors.js';
import type { ServiceContext } from './context.js';
import { followerCounts } from './subscriptions/counts.js';

export type ChannelRow = typeof channels.$inferSelect;

export function toChannelDto(row: ChannelRow, followersCount: number): ChannelDto {
  return {
    id: row.id,
    handle: row.handle,
    displayName: row.displayName,
    description: row.description,
    ownerId: row.ownerId,
    followersCount,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Channels as JSON, with their follower counts loaded in one query. */
export async function toChannelDtos(ctx: ServiceContext, rows: ChannelRow[]): Promise<ChannelDto[]> {
  const counts = await followerCounts(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toChannelDto(row, counts.get(row.id) ?? 0));
}

const handleTaken = () =>
  new ConflictError('This handle is taken', [{ path: 'handle', message: 'This handle is taken' }]);

/** Create a channel owned by the viewer. Handles are unique regardless of case. */
export async function createChannel(
  ctx: ServiceContext,
  viewer: Viewer,
  rawInput: CreateChannelInput,
): Promise<ChannelDto> {
  const input = CreateChannelInputSchema.parse(rawInput);
  try {
    const [row] = await ctx.db
      .insert(channels)
      .values({
        ownerId: viewer.userId,
        handle: input.handle,
        displayName: input.displayName,
        description: input.description ?? '',
      })
      .returning();
    return toChannelDto(row as ChannelRow, 0);
  } catch (error) {
    // An account's username is a name too (one namespace, like PeerTube's).
    const constraint = isUniqueViolation(error);
    if (constraint === 'channels_handle_lower_key' || constraint === ACTOR_NAMES_KEY) throw handleTaken();
    throw error;
  }
}

export async function findChannelByHandle(ctx: ServiceContext, handle: string): Promise<ChannelRow> {
  const [row] = await ctx.db
    .select()
    .from(channels)
    .where(sql`lower(${channels.handle}) = ${handle.toLowerCase()}`);
  if (!row) throw new NotFoundError('Channel');
  return row;
}

export async function findChannelById(ctx: ServiceContext, id: string): Promise<ChannelRow | undefined> {
  const [row] = await ctx.db.select().from(channels).where(eq(channels.id, id));
  return row;
}

export async function getChannel(ctx: ServiceContext, input: { handle: string }): Promise<ChannelDto> {
  const [dto] = await toChannelDtos(ctx, [await findChannelByHandle(ctx, input.handle)]);
  return dto as ChannelDto;
}

/** Whether the viewer may manage the channel: its owner or an admin. */
export function canManageChannel(viewer: Viewer, channel: Pick<ChannelRow, 'ownerId'>): boolean {
  return viewer.role === 'admin' || viewer.userId === channel.ownerId;
}

export async function updateChannel(
  ctx: ServiceContext,
  viewer: Viewer,
  handle: string,
  rawInput: UpdateChannelInput,
): Promise<ChannelDto> {
  const input = UpdateChannelInputSchema.parse(rawInput);
  const channel = await findChannelByHandle(ctx, handle);
  if (!canManageChannel(viewer, channel)) throw new ForbiddenError('Only the channel owner can change it');
  const [row] = await ctx.db
    .update(channels)
    .set({ ...input, updatedAt: new Date() })
    .where(eq(channels.id, channel.id))
    .returning();
  const [dto] = await toChannelDtos(ctx, [row as ChannelRow]);
  return dto as ChannelDto;
}

export async function listChannelsOf(ctx: ServiceContext, viewer: Viewer): Promise<ChannelDto[]> {
  const rows = await ctx.db
    .select()
    .from(channels)
    .where(eq(channels.ownerId, viewer.userId))
    .orderBy(asc(channels.createdAt), asc(channels.id));
  return toChannelDtos(ctx, rows);
}
