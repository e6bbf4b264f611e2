import { and, count, desc, eq, lt, type SQL } from 'drizzle-orm';
import { abuses, users, videoComments } from '../../../../db/schema/index.js';
import type { Page } from '../../../../protocol/api/list.js';
import {
  type AbuseDto,
  type CreateAbuseInput,
  CreateAbuseInputSchema,
  type ListAbusesQuery,
  ListAbusesQuerySchema,
  type UpdateAbuseInput,
  UpdateAbuseInputSchema,
} from '../../../../protocol/api/moderation.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { loadVisibleComment, openCommentScope } from '../comments/context.js';
import { deleteComment } from '../comments/write.js';
import type { ServiceContext } from '../context.js';
import { recordEvent } from '../outbox/record.js';
import { decodeCursor, encodeCursor, loadViewableVideo } from '../videos/read.js';
import { deleteVideo } from '../videos/write.js';
import { type AbuseRow, toAbuseDtos } from './abuse-serialize.js';

function requireAdmin(viewer: Viewer) {
  if (viewer.role !== 'admin') throw new ForbiddenError('Only an admin can see and act on reports');
}

/** Where the reported thing is, checked to exist and to be visible to the reporter. */
async function resolveTarget(
  ctx: ServiceContext,
  viewer: Viewer,
  ip: string,
  input: ReturnType<typeof CreateAbuseInputSchema.parse>,
) {
  if (input.video) {
    await loadViewableVideo(ctx, { id: input.video.id, viewer, ip });
    return { target: 'video' as const, videoId: input.video.id, commentId: null, accountId: null };
  }
  if (input.comment) {
    const [row] = await ctx.db
      .select({ videoId: videoComments.videoId })
      .from(videoComments)
      .where(eq(videoComments.id, input.comment.id));
    if (!row) throw new NotFoundError('Comment');
    const scope = await openCommentScope(ctx, { id: row.videoId, viewer, ip });
    const comment = await loadVisibleComment(ctx, scope, input.comment.id);
    if (comment.deletedAt) throw new NotFoundError('Comment');
    return { target: 'comment' as const, videoId: null, commentId: comment.id, accountId: null };
  }
  const accountId = input.account?.id ?? '';
  const [user] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.id, accountId));
  if (!user) throw new NotFoundError('Account');
  return { target: 'account' as const, videoId: null, commentId: null, accountId: user.id };
}

/**
 * Report a video, a comment or an account (exactly one) that the reporter can see. The report
 * and its `abuse.created` event are written in one transaction.
 */
export async function createAbuse(
  ctx: ServiceContext,
  request: { viewer: Viewer; ip: string },
  rawInput: CreateAbuseInput,
): Promise<{ abuse: { id: number } }> {
  const input = CreateAbuseInputSchema.parse(rawInput);
  const { target, ...ids } = await resolveTarget(ctx, request.viewer, request.ip, input);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(abuses)
      .values({
        reporterId: request.viewer.userId,
        reason: input.reason,
        predefinedReasons: input.predefinedReasons ?? [],
        ...ids,
      })
      .returning({ id: abuses.id });
    const abuseId = (row as { id: number }).id;
    await recordEvent(tx, {
      type: 'abuse.created',
      payload: { abuseId, reporterId: request.viewer.userId, target, ...ids },
    });
    return { abuse: { id: abuseId } };
  });
}

/** The report queue (admin only), newest first, optionally one state only. */
export async function listAbuses(
  ctx: ServiceContext,
  viewer: Viewer,
  rawQuery: ListAbusesQuery,
): Promise<Page<AbuseDto>> {
  requireAdmin(viewer);
  const query = ListAbusesQuerySchema.parse(rawQuery);
  const filter: SQL[] = query.state ? [eq(abuses.state, query.state)] : [];
  const paged = query.cursor ? [lt(abuses.id, decodeCursor(query.cursor))] : [];
  const [rows, [counted]] = await Promise.all([
    ctx.db
      .select()
      .from(abuses)
      .where(and(...filter, ...paged))
      .orderBy(desc(abuses.id))
      .limit(query.count + 1)
      .offset(query.cursor ? 0 : query.start),
    ctx.db
      .select({ total: count() })
      .from(abuses)
      .where(and(...filter)),
  ]);
  const page = rows.slice(0, query.count) as AbuseRow[];
  const last = page.at(-1);
  return {
    total: counted?.total ?? 0,
    data: await toAbuseDtos(ctx, page),
    nextCursor: rows.length > query.count && last ? encodeCursor(last.id) : null,
  };
}

/**
 * Act on a report (admin only): set its state and the moderator's note, and, with `deleteTarget`,
 * delete the reported video (the ordinary video delete) or comment (leaving a tombstone).
 */
export async function updateAbuse(
  ctx: ServiceContext,
  request: { viewer: Viewer; ip: string; abuseId: number },
  rawInput: UpdateAbuseInput,
): Promise<void> {
  requireAdmin(request.viewer);
  const input = UpdateAbuseInputSchema.parse(rawInput);
  const [abuse] = await ctx.db.select().from(abuses).where(eq(abuses.id, request.abuseId));
  if (!abuse) throw new NotFoundError('Report');
  if (input.deleteTarget) {
    if (abuse.accountId) {
      throw new ValidationError([
        { path: 'deleteTarget', message: 'An account cannot be deleted from a report; suspend it instead' },
      ]);
    }
    await deleteReported(ctx, request, abuse);
  }
  await ctx.db
    .update(abuses)
    .set({
      state: input.state ?? abuse.state,
      moderationComment: input.moderationComment ?? abuse.moderationComment,
      updatedAt: new Date(),
    })
    .where(eq(abuses.id, abuse.id));
}

/** Delete what a report names, unless it is gone already. */
async function deleteReported(
  ctx: ServiceContext,
  request: { viewer: Viewer; ip: string },
  abuse: typeof abuses.$inferSelect,
) {
  try {
    if (abuse.videoId) await deleteVideo(ctx, request.viewer, abuse.videoId);
    if (abuse.commentId) {
      const [comment] = await ctx.db
        .select({ videoId: videoComments.videoId, deletedAt: videoComments.deletedAt })
        .from(videoComments)
        .where(eq(videoComments.id, abuse.commentId));
      if (comment && !comment.deletedAt) {
        await deleteComment(ctx, {
          id: comment.videoId,
          viewer: request.viewer,
          ip: request.ip,
          commentId: abuse.commentId,
        });
      }
    }
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error; // already deleted: nothing left to do
  }
}
