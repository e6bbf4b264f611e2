import { eq, inArray } from 'drizzle-orm';
import { type abuses, channels, users, videoComments, videos } from '../../../../db/schema/index.js';
import type { AbuseDto } from '../../../../protocol/api/moderation.js';
import { ABUSE_STATE_LABELS, type AbuseStateId } from '../../../../protocol/comment-enums.js';
import { accountSummary } from '../comments/serialize.js';
import type { ServiceContext } from '../context.js';

export type AbuseRow = typeof abuses.$inferSelect;

const unique = <T>(values: Array<T | null>) => [...new Set(values.filter((v): v is T => v !== null))];

/** Reports with what they name (reporter, video, comment, flagged account), in a few queries. */
export async function toAbuseDtos(ctx: ServiceContext, rows: AbuseRow[]): Promise<AbuseDto[]> {
  if (!rows.length) return [];
  const comments = await commentsIn(ctx, unique(rows.map((r) => r.commentId)));
  const videoIds = unique([...rows.map((r) => r.videoId), ...comments.map((c) => c.videoId)]);
  const videoRows = await videosIn(ctx, videoIds);
  const userIds = unique([
    ...rows.flatMap((r) => [r.reporterId, r.accountId]),
    ...comments.map((c) => c.authorId),
    ...videoRows.map((v) => v.ownerId),
  ]);
  const userRows = await usersIn(ctx, userIds);
  const user = new Map(userRows.map((u) => [u.id, accountSummary(u)]));
  const video = new Map(videoRows.map((v) => [v.id, v]));
  const comment = new Map(comments.map((c) => [c.id, c]));
  const videoSummary = (id: string) => {
    const v = video.get(id);
    return v ? { id: v.seq, uuid: v.id, name: v.title, deleted: v.state === 'deleted' } : null;
  };
  return rows.map((row) => {
    const c = row.commentId !== null ? comment.get(row.commentId) : undefined;
    const v = row.videoId !== null ? video.get(row.videoId) : undefined;
    const flaggedId = row.accountId ?? c?.authorId ?? v?.ownerId ?? null;
    const commentVideo = c ? videoSummary(c.videoId) : null;
    return {
      id: row.id,
      reason: row.reason,
      predefinedReasons: row.predefinedReasons,
      reporterAccount: user.get(row.reporterId) ?? accountSummary({ id: row.reporterId, username: '' }),
      state: { id: row.state as AbuseStateId, label: ABUSE_STATE_LABELS[row.state as AbuseStateId] },
      moderationComment: row.moderationComment,
      video: row.videoId ? videoSummary(row.videoId) : null,
      comment:
        c && commentVideo
          ? {
              id: c.id,
              threadId: c.threadId ?? c.id,
              text: c.text,
              deleted: c.deletedAt !== null,
              video: commentVideo,
            }
          : null,
      flaggedAccount: flaggedId ? (user.get(flaggedId) ?? null) : null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  });
}

const commentsIn = (ctx: ServiceContext, ids: number[]) =>
  ids.length
    ? ctx.db.select().from(videoComments).where(inArray(videoComments.id, ids))
    : Promise.resolve([]);

const videosIn = (ctx: ServiceContext, ids: string[]) =>
  ids.length
    ? ctx.db
        .select({
          id: videos.id,
          seq: videos.seq,
          title: videos.title,
          state: videos.state,
          ownerId: channels.ownerId,
        })
        .from(videos)
        .innerJoin(channels, eq(channels.id, videos.channelId))
        .where(inArray(videos.id, ids))
    : Promise.resolve([]);

const usersIn = (ctx: ServiceContext, ids: string[]) =>
  ids.length
    ? ctx.db.select({ id: users.id, username: users.username }).from(users).where(inArray(users.id, ids))
    : Promise.resolve([]);
