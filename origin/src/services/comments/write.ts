import { and, eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../../../db/client.js';
import { accountBlocks, videoComments } from '../../../../db/schema/index.js';
import { type CommentDto, type CommentInput, CommentInputSchema } from '../../../../protocol/api/comments.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { ConflictError, ForbiddenError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { recordEvent } from '../outbox/record.js';
import type { VideoViewRequest } from '../videos/read.js';
import { instanceBase } from '../videos/serialize.js';
import {
  type CommentedVideo,
  type CommentScope,
  commentCreated,
  commentedVideo,
  loadVisibleComment,
  openCommentScope,
  videoRef,
} from './context.js';
import { renderCommentHtml } from './render.js';
import { toCommentDto } from './serialize.js';

export type SignedInRequest = VideoViewRequest & { viewer: Viewer };

/** Refuse a new comment the video's policy or its owner's blocklist does not allow. */
async function assertMayComment(ctx: ServiceContext, scope: CommentScope, viewer: Viewer) {
  const { video, channel } = scope.video;
  if (video.commentsPolicy === 'disabled') {
    throw new ForbiddenError('Comments are disabled on this video');
  }
  if (viewer.userId === channel.ownerId) return;
  const [blocked] = await ctx.db
    .select({ blocked: accountBlocks.blocked })
    .from(accountBlocks)
    .where(
      and(
        eq(accountBlocks.ownerId, channel.ownerId),
        eq(accountBlocks.targetId, viewer.userId),
        eq(accountBlocks.blocked, true),
      ),
    );
  if (blocked)
    throw new ForbiddenError("This video's owner has blocked you: you cannot comment on their videos");
}

/** Add one to (or take one from) the visible replies of a thread root. */
export async function countReply(tx: Executor, threadId: number, delta: 1 | -1) {
  await tx
    .update(videoComments)
    .set({ replyCount: sql`greatest(${videoComments.replyCount} + ${delta}, 0)` })
    .where(eq(videoComments.id, threadId));
}

/**
 * Post a new thread (`inReplyTo` absent) or a reply. On a video with policy `approval` the
 * comment is held for the owner (the owner's own comments are not). `comment.created` is recorded
 * in the same transaction, with `visible: false` while held.
 */
export async function createComment(
  ctx: ServiceContext,
  request: SignedInRequest & { inReplyTo?: number },
  rawInput: CommentInput,
): Promise<CommentDto> {
  const input = CommentInputSchema.parse(rawInput);
  const scope = await openCommentScope(ctx, request);
  await assertMayComment(ctx, scope, request.viewer);
  const parent = request.inReplyTo ? await loadVisibleComment(ctx, scope, request.inReplyTo) : undefined;
  if (parent?.deletedAt) throw new ConflictError('This comment was deleted: it takes no more replies');
  const { video } = scope.video;
  const held = video.commentsPolicy === 'approval' && !scope.reader.manages;
  const created = await insertComment(ctx.db, {
    video: commentedVideo(scope),
    parent,
    authorId: request.viewer.userId,
    text: input.text,
    html: renderCommentHtml(input.text),
    held,
  });
  if (!created) throw new Error('comment not stored');
  const record = {
    ...created,
    authorName: request.viewer.username,
    likedByMe: false,
    repliesFromVideoAuthor: 0,
  };
  return toCommentDto(record, video, instanceBase(ctx).host);
}

/**
 * Store a comment (a thread root, or a reply, which counts in its thread unless held) and record
 * `comment.created` in the same transaction. Shared by local comments and federated ones (`Note`s,
 * with their `remoteId`): undefined when that remote comment was stored already.
 */
export async function insertComment(
  db: Database,
  input: {
    video: CommentedVideo;
    parent?: { id: number; threadId: number | null; authorId: string } | undefined;
    authorId: string;
    text: string;
    html: string;
    held: boolean;
    remoteId?: string | undefined;
  },
): Promise<typeof videoComments.$inferSelect | undefined> {
  const { video, parent, held } = input;
  const threadId = parent ? (parent.threadId ?? parent.id) : null;
  return db.transaction(async (tx) => {
    const [comment] = await tx
      .insert(videoComments)
      .values({
        videoId: video.id,
        threadId,
        inReplyToId: parent?.id ?? null,
        authorId: input.authorId,
        text: input.text,
        html: input.html,
        heldForReview: held,
        remoteId: input.remoteId ?? null,
      })
      .onConflictDoNothing()
      .returning();
    if (!comment) return undefined;
    if (threadId !== null && !held) await countReply(tx, threadId, 1);
    await recordEvent(tx, commentCreated(video, comment, parent?.authorId ?? null, !held));
    return comment;
  });
}

/** Change the text of one's own comment (only the author may; a deleted comment is gone). */
export async function editComment(
  ctx: ServiceContext,
  request: SignedInRequest & { commentId: number },
  rawInput: CommentInput,
): Promise<CommentDto> {
  const input = CommentInputSchema.parse(rawInput);
  const scope = await openCommentScope(ctx, request);
  const comment = await loadVisibleComment(ctx, scope, request.commentId);
  if (comment.authorId !== request.viewer.userId)
    throw new ForbiddenError('Only its author can edit a comment');
  if (comment.deletedAt) throw new ConflictError('This comment was deleted');
  const [row] = await ctx.db
    .update(videoComments)
    .set({ text: input.text, html: renderCommentHtml(input.text), updatedAt: new Date() })
    .where(eq(videoComments.id, comment.id))
    .returning();
  return toCommentDto({ ...comment, ...(row as typeof comment) }, scope.video.video, instanceBase(ctx).host);
}

/**
 * Delete a comment: its author, the video's owner or an admin may. It stays as a tombstone (text
 * cleared) so replies keep their place; `comment.deleted` is recorded in the same transaction.
 */
export async function deleteComment(
  ctx: ServiceContext,
  request: SignedInRequest & { commentId: number },
): Promise<void> {
  const scope = await openCommentScope(ctx, request);
  const comment = await loadVisibleComment(ctx, scope, request.commentId);
  if (comment.authorId !== request.viewer.userId && !scope.reader.manages) {
    throw new ForbiddenError("Only the comment's author, the video's owner or an admin can delete it");
  }
  if (comment.deletedAt) throw new ConflictError('This comment is already deleted');
  await ctx.db.transaction(async (tx) => {
    const [deleted] = await tx
      .update(videoComments)
      .set({ text: '', html: '', deletedAt: new Date() })
      .where(and(eq(videoComments.id, comment.id), sql`${videoComments.deletedAt} is null`))
      .returning({ id: videoComments.id });
    if (!deleted) return; // a concurrent delete did it
    if (comment.threadId !== null && !comment.heldForReview) await countReply(tx, comment.threadId, -1);
    await recordEvent(tx, {
      type: 'comment.deleted',
      payload: {
        ...videoRef(scope),
        commentId: comment.id,
        threadId: comment.threadId ?? comment.id,
        authorId: comment.authorId,
        deletedBy: request.viewer.userId,
      },
    });
  });
}
