import type { AccountSummaryDto, CommentDto } from '../../../../protocol/api/comments.js';
import type { CommentRecord } from './query.js';

/**
 * PeerTube's account summary for a local user. `host` is this instance's (PeerTube clients build
 * `name@host` from it and drop a comment without one, ADR 22); lists that pass none keep null.
 */
export function accountSummary(
  user: { id: string; username: string },
  host: string | null = null,
): AccountSummaryDto {
  return {
    name: user.username,
    host,
    displayName: user.username,
    url: `/accounts/${encodeURIComponent(user.username)}`,
    avatars: [],
    userId: user.id,
  };
}

/** A comment as the API shows it; a deleted one is a tombstone: no text, no author. */
export function toCommentDto(
  record: CommentRecord,
  video: { id: string; seq: number },
  host: string | null = null,
): CommentDto {
  const deleted = record.deletedAt !== null;
  return {
    id: record.id,
    url: `/w/${video.id}#comment-${record.id}`,
    text: deleted ? '' : record.text,
    html: deleted ? '' : record.html,
    threadId: record.threadId ?? record.id,
    inReplyToCommentId: record.inReplyToId,
    videoId: video.seq,
    videoUuid: video.id,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    deletedAt: record.deletedAt?.toISOString() ?? null,
    heldForReview: record.heldForReview,
    isDeleted: deleted,
    totalRepliesFromVideoAuthor: record.repliesFromVideoAuthor,
    totalReplies: record.replyCount,
    likes: record.likeCount,
    likedByMe: record.likedByMe,
    account: deleted ? null : accountSummary({ id: record.authorId, username: record.authorName }, host),
  };
}
