import { and, eq, sql } from 'drizzle-orm';
import { commentLikes, videoComments } from '../../../../db/schema/index.js';
import type { RateCommentInput } from '../../../../protocol/api/comments.js';
import { RateCommentInputSchema } from '../../../../protocol/api/comments.js';
import { ConflictError, ForbiddenError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { recordEvent } from '../outbox/record.js';
import { commentCreated, commentedVideo, loadVisibleComment, openCommentScope } from './context.js';
import { countReply, type SignedInRequest } from './write.js';

/**
 * Like a comment, or take the like back. One like per user and comment (the table's primary key),
 * so liking twice counts once.
 */
export async function rateComment(
  ctx: ServiceContext,
  request: SignedInRequest & { commentId: number },
  rawInput: RateCommentInput,
): Promise<void> {
  const { rating } = RateCommentInputSchema.parse(rawInput);
  const scope = await openCommentScope(ctx, request);
  const comment = await loadVisibleComment(ctx, scope, request.commentId);
  if (comment.deletedAt) throw new ConflictError('This comment was deleted');
  const userId = request.viewer.userId;
  await ctx.db.transaction(async (tx) => {
    const changed =
      rating === 'like'
        ? await tx
            .insert(commentLikes)
            .values({ commentId: comment.id, userId })
            .onConflictDoNothing()
            .returning({ userId: commentLikes.userId })
        : await tx
            .delete(commentLikes)
            .where(and(eq(commentLikes.commentId, comment.id), eq(commentLikes.userId, userId)))
            .returning({ userId: commentLikes.userId });
    if (!changed.length) return;
    const delta = rating === 'like' ? 1 : -1;
    await tx
      .update(videoComments)
      .set({ likeCount: sql`greatest(${videoComments.likeCount} + ${delta}, 0)` })
      .where(eq(videoComments.id, comment.id));
  });
}

/**
 * The video's owner (or an admin) approves a held comment: everyone may now see it, and
 * `comment.created` is recorded again with `visible: true` so its audience is told.
 */
export async function approveComment(
  ctx: ServiceContext,
  request: SignedInRequest & { commentId: number },
): Promise<void> {
  const scope = await openCommentScope(ctx, request);
  const comment = await loadVisibleComment(ctx, scope, request.commentId);
  if (!scope.reader.manages)
    throw new ForbiddenError("Only the video's owner or an admin can approve comments");
  if (!comment.heldForReview || comment.deletedAt) {
    throw new ConflictError('This comment is not waiting for approval');
  }
  await ctx.db.transaction(async (tx) => {
    const [approved] = await tx
      .update(videoComments)
      .set({ heldForReview: false })
      .where(and(eq(videoComments.id, comment.id), eq(videoComments.heldForReview, true)))
      .returning({ id: videoComments.id });
    if (!approved) return;
    if (comment.threadId !== null) await countReply(tx, comment.threadId, 1);
    let inReplyToAuthorId: string | null = null;
    if (comment.inReplyToId !== null) {
      const [parent] = await tx
        .select({ authorId: videoComments.authorId })
        .from(videoComments)
        .where(eq(videoComments.id, comment.inReplyToId));
      inReplyToAuthorId = parent?.authorId ?? null;
    }
    await recordEvent(tx, commentCreated(commentedVideo(scope), comment, inReplyToAuthorId, true));
  });
}
