import { and, count, desc, eq, inArray, isNull, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import { alias, type PgSelect } from 'drizzle-orm/pg-core';
import { channels, notifications, users, videos } from '../../../../db/schema/index.js';
import type { Page } from '../../../../protocol/api/list.js';
import {
  MarkNotificationsReadSchema,
  NOTIFICATION_KINDS,
  type NotificationDto,
  type NotificationKind,
  type NotificationListQuery,
} from '../../../../protocol/api/notifications.js';
import type { Viewer } from '../../auth/access-tokens.js';
import type { ServiceContext } from '../context.js';
import { pageWindow } from '../subscriptions/page.js';
import { seqPage } from '../videos/read.js';

const actors = alias(users, 'actors');

/**
 * A notice about a video is shown while its recipient may still see the video: not once it is
 * deleted, nor once it became private (to anyone but its owner), so a notice never outlives access.
 */
function stillVisible(viewer: Viewer): SQL {
  if (viewer.role === 'admin') return or(isNull(videos.id), ne(videos.state, 'deleted')) as SQL;
  return or(
    isNull(videos.id),
    and(ne(videos.state, 'deleted'), or(ne(videos.privacy, 'private'), eq(channels.ownerId, viewer.userId))),
  ) as SQL;
}

/** The joins `stillVisible` reads. */
function withRefs<T extends PgSelect>(query: T) {
  return query
    .leftJoin(videos, eq(videos.id, notifications.videoId))
    .leftJoin(channels, eq(channels.id, notifications.channelId));
}

/** The caller's notices in the app (`unread` keeps the unread ones), the newest first. */
export async function listNotifications(
  ctx: ServiceContext,
  viewer: Viewer,
  query: NotificationListQuery,
): Promise<Page<NotificationDto>> {
  const { unread, ...paging } = query;
  const window = pageWindow(paging);
  const conditions: SQL[] = [eq(notifications.userId, viewer.userId), eq(notifications.web, true)];
  if (unread) conditions.push(isNull(notifications.readAt));
  conditions.push(stillVisible(viewer));
  const where = and(...conditions);
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select({
        n: notifications,
        video: { id: videos.id, title: videos.title },
        channel: { handle: channels.handle, displayName: channels.displayName },
        actor: { username: actors.username },
      })
      .from(notifications)
      .leftJoin(videos, eq(videos.id, notifications.videoId))
      .leftJoin(channels, eq(channels.id, notifications.channelId))
      .leftJoin(actors, eq(actors.id, notifications.actorId))
      .where(window.before === undefined ? where : and(where, lt(notifications.id, window.before)))
      .orderBy(desc(notifications.id))
      .limit(window.limit)
      .offset(window.offset),
    withRefs(ctx.db.select({ n: count() }).from(notifications).$dynamic()).where(where),
  ]);
  const { page, nextCursor } = seqPage(rows, window.count, (r) => r.n.id);
  return { total: Number(total?.n ?? 0), data: page.map(toNotificationDto), nextCursor };
}

type Row = {
  n: typeof notifications.$inferSelect;
  video: { id: string; title: string } | null;
  channel: { handle: string; displayName: string } | null;
  actor: { username: string } | null;
};

function toNotificationDto({ n, video, channel, actor }: Row): NotificationDto {
  const kind = n.kind as NotificationKind;
  const channelRef = channel ? { name: channel.handle, displayName: channel.displayName } : undefined;
  const videoRef =
    video && channelRef ? { uuid: video.id, name: video.title, channel: channelRef } : undefined;
  const account = actor ? { name: actor.username, displayName: actor.username } : undefined;
  const dto: NotificationDto = {
    id: n.id,
    type: NOTIFICATION_KINDS[kind].type,
    kind,
    read: n.readAt !== null,
    createdAt: n.createdAt.toISOString(),
  };
  if (n.commentId !== null && n.threadId !== null) {
    dto.comment = {
      id: n.commentId,
      threadId: n.threadId,
      ...(account ? { account } : {}),
      ...(videoRef ? { video: videoRef } : {}),
    };
  } else if (videoRef) dto.video = videoRef;
  if (account) dto.account = account;
  return dto;
}

/** Mark some of the caller's notices read; ids of others' notices are ignored. */
export async function markNotificationsRead(ctx: ServiceContext, viewer: Viewer, body: unknown) {
  const { ids } = MarkNotificationsReadSchema.parse(body);
  await ctx.db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(
      and(
        eq(notifications.userId, viewer.userId),
        inArray(notifications.id, ids),
        isNull(notifications.readAt),
      ),
    );
}

export async function markAllNotificationsRead(ctx: ServiceContext, viewer: Viewer) {
  await ctx.db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, viewer.userId), isNull(notifications.readAt)));
}

/** How many of the caller's notices in the app are unread (the header bell). */
export async function unreadNotificationCount(
  ctx: ServiceContext,
  viewer: Viewer,
): Promise<{ unread: number }> {
  const [row] = await withRefs(ctx.db.select({ n: count() }).from(notifications).$dynamic()).where(
    and(
      eq(notifications.userId, viewer.userId),
      eq(notifications.web, true),
      isNull(notifications.readAt),
      stillVisible(viewer),
    ),
  );
  return { unread: Number(row?.n ?? 0) };
}
