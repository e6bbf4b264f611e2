import { and, asc, desc, eq, gt, gte, isNull, or, sql } from 'drizzle-orm';
import {
  channels,
  chatMessages,
  chatModerators,
  chatRooms,
  chatSanctions,
  liveSessions,
  users,
  videos,
} from '../../../../db/schema/index.js';
import type { ChatMessage } from '../../../../protocol/chat.js';
import type { ServiceContext } from '../context.js';

/** What a room needs to know about its video, loaded when the first client of an origin joins. */
export interface RoomInfo {
  videoId: string;
  channelId: string;
  ownerId: string;
  /** Start of the video's first live session: offsets count from it. Null: the video never went live. */
  liveStartedAt: Date | null;
  /** A session is on air (or within its reconnect window): the room takes messages. */
  onAir: boolean;
  slowModeSeconds: number;
}

type MessageRow = typeof chatMessages.$inferSelect & { username: string };

export function toChatMessage(row: MessageRow): ChatMessage {
  return {
    type: 'message',
    id: row.id,
    user: { id: row.userId, username: row.username, displayName: row.username },
    text: row.text,
    offsetMs: row.offsetMs,
    at: row.createdAt.toISOString(),
  };
}

export async function loadRoomInfo(ctx: ServiceContext, videoId: string): Promise<RoomInfo | undefined> {
  const [row] = await ctx.db
    .select({ channelId: videos.channelId, ownerId: channels.ownerId, slow: chatRooms.slowModeSeconds })
    .from(videos)
    .innerJoin(channels, eq(channels.id, videos.channelId))
    .leftJoin(chatRooms, eq(chatRooms.videoId, videos.id))
    .where(eq(videos.id, videoId));
  if (!row) return undefined;
  const sessions = await ctx.db
    .select({ startedAt: liveSessions.startedAt, endedAt: liveSessions.endedAt })
    .from(liveSessions)
    .where(eq(liveSessions.videoId, videoId))
    .orderBy(asc(liveSessions.startedAt));
  return {
    videoId,
    channelId: row.channelId,
    ownerId: row.ownerId,
    liveStartedAt: sessions[0]?.startedAt ?? null,
    onAir: sessions.some((s) => s.endedAt === null),
    slowModeSeconds: row.slow ?? 0,
  };
}

/** Store a message, or find the one this client already sent under the same `clientMsgId`. */
export async function insertMessage(
  ctx: ServiceContext,
  input: {
    videoId: string;
    userId: string;
    username: string;
    clientMsgId: string;
    text: string;
    offsetMs: number;
  },
): Promise<{ message: ChatMessage; duplicate: boolean }> {
  const [inserted] = await ctx.db
    .insert(chatMessages)
    .values({
      videoId: input.videoId,
      userId: input.userId,
      clientMsgId: input.clientMsgId,
      text: input.text,
      offsetMs: input.offsetMs,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted)
    return { message: toChatMessage({ ...inserted, username: input.username }), duplicate: false };
  const [existing] = await ctx.db
    .select()
    .from(chatMessages)
    .where(
      and(
        eq(chatMessages.videoId, input.videoId),
        eq(chatMessages.userId, input.userId),
        eq(chatMessages.clientMsgId, input.clientMsgId),
      ),
    );
  if (!existing) throw new Error('chat message vanished between insert and select');
  return { message: toChatMessage({ ...existing, username: input.username }), duplicate: true };
}

const messageColumns = {
  id: chatMessages.id,
  videoId: chatMessages.videoId,
  userId: chatMessages.userId,
  clientMsgId: chatMessages.clientMsgId,
  text: chatMessages.text,
  offsetMs: chatMessages.offsetMs,
  createdAt: chatMessages.createdAt,
  deletedAt: chatMessages.deletedAt,
  username: users.username,
};

/** The latest `limit` messages of a room, oldest first (the `history` frame). */
export async function recentMessages(ctx: ServiceContext, videoId: string, limit: number) {
  const rows = await ctx.db
    .select(messageColumns)
    .from(chatMessages)
    .innerJoin(users, eq(users.id, chatMessages.userId))
    .where(and(eq(chatMessages.videoId, videoId), isNull(chatMessages.deletedAt)))
    .orderBy(desc(chatMessages.offsetMs), desc(chatMessages.createdAt))
    .limit(limit);
  return rows.reverse().map(toChatMessage);
}

/** Messages from an offset on, in offset order (the replay). */
export async function messagesFrom(
  ctx: ServiceContext,
  videoId: string,
  fromOffsetMs: number,
  limit: number,
) {
  const rows = await ctx.db
    .select(messageColumns)
    .from(chatMessages)
    .innerJoin(users, eq(users.id, chatMessages.userId))
    .where(
      and(
        eq(chatMessages.videoId, videoId),
        isNull(chatMessages.deletedAt),
        gte(chatMessages.offsetMs, fromOffsetMs),
      ),
    )
    .orderBy(asc(chatMessages.offsetMs), asc(chatMessages.createdAt))
    .limit(limit);
  return rows.map(toChatMessage);
}

export async function markDeleted(ctx: ServiceContext, videoId: string, id: string): Promise<boolean> {
  const rows = await ctx.db
    .update(chatMessages)
    .set({ deletedAt: new Date() })
    .where(and(eq(chatMessages.videoId, videoId), eq(chatMessages.id, id), isNull(chatMessages.deletedAt)))
    .returning({ id: chatMessages.id });
  return rows.length > 0;
}

/** Bans (`until` null) and running timeouts of a channel, by user. */
export async function activeSanctions(
  ctx: ServiceContext,
  channelId: string,
): Promise<Map<string, Date | null>> {
  const rows = await ctx.db
    .select({ userId: chatSanctions.userId, until: chatSanctions.until })
    .from(chatSanctions)
    .where(
      and(
        eq(chatSanctions.channelId, channelId),
        or(isNull(chatSanctions.until), gt(chatSanctions.until, new Date())),
      ),
    );
  return new Map(rows.map((r) => [r.userId, r.until]));
}

/** Ban (`until` null) or time out a user; a timeout never shortens a ban. */
export async function sanction(
  ctx: ServiceContext,
  input: { channelId: string; userId: string; until: Date | null; byUserId: string },
): Promise<void> {
  await ctx.db
    .insert(chatSanctions)
    .values(input)
    .onConflictDoUpdate({
      target: [chatSanctions.channelId, chatSanctions.userId],
      set: {
        until:
          input.until === null
            ? null
            : sql`case when ${chatSanctions.until} is null then null else excluded.until end`,
        byUserId: input.byUserId,
        createdAt: new Date(),
      },
    });
}

export async function liftBan(ctx: ServiceContext, channelId: string, userId: string): Promise<void> {
  await ctx.db
    .delete(chatSanctions)
    .where(and(eq(chatSanctions.channelId, channelId), eq(chatSanctions.userId, userId)));
}

export async function isNamedModerator(
  ctx: ServiceContext,
  channelId: string,
  userId: string,
): Promise<boolean> {
  const [row] = await ctx.db
    .select({ userId: chatModerators.userId })
    .from(chatModerators)
    .where(and(eq(chatModerators.channelId, channelId), eq(chatModerators.userId, userId)));
  return row !== undefined;
}

export async function setSlowMode(ctx: ServiceContext, videoId: string, seconds: number): Promise<void> {
  await ctx.db
    .insert(chatRooms)
    .values({ videoId, slowModeSeconds: seconds })
    .onConflictDoUpdate({ target: chatRooms.videoId, set: { slowModeSeconds: seconds } });
}

/** Whether the owner of the video's channel is suspended (their viewers lose the chat). */
export async function ownerSuspended(ctx: ServiceContext, ownerId: string): Promise<boolean> {
  const [row] = await ctx.db.select({ at: users.suspendedAt }).from(users).where(eq(users.id, ownerId));
  return Boolean(row?.at);
}
