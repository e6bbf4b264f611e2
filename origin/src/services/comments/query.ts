import { and, eq, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { accountBlocks, commentLikes, users, videoComments } from '../../../../db/schema/index.js';
import type { Viewer } from '../../auth/access-tokens.js';

export type CommentRow = typeof videoComments.$inferSelect;
/** A comment as serialised: the row, its author's name and what depends on the caller. */
export type CommentRecord = CommentRow & {
  authorName: string;
  likedByMe: boolean;
  repliesFromVideoAuthor: number;
};

/** Who reads: the caller, and whether they manage the video (its owner or an admin). */
export interface CommentReader {
  viewer: Viewer | undefined;
  manages: boolean;
  videoOwnerId: string;
}

/**
 * What a reader may see of a video's comments: held comments only when they manage the video or
 * wrote them, and nothing by an account they muted or blocked.
 */
export function visibleTo(reader: CommentReader): SQL | undefined {
  const conditions: SQL[] = [];
  if (!reader.manages) {
    const notHeld = eq(videoComments.heldForReview, false);
    conditions.push(
      reader.viewer ? (or(notHeld, eq(videoComments.authorId, reader.viewer.userId)) as SQL) : notHeld,
    );
  }
  if (reader.viewer) {
    conditions.push(
      sql`not exists (select 1 from ${accountBlocks} where ${accountBlocks.ownerId} = ${reader.viewer.userId} and ${accountBlocks.targetId} = ${videoComments.authorId})`,
    );
  }
  return conditions.length ? and(...conditions) : undefined;
}

/** Select comments with their author's name, the caller's like and the video author's replies. */
export function selectComments(db: Executor, reader: CommentReader) {
  const likedByMe = reader.viewer
    ? sql<boolean>`exists (select 1 from ${commentLikes} where ${commentLikes.commentId} = ${videoComments.id} and ${commentLikes.userId} = ${reader.viewer.userId})`
    : sql<boolean>`false`;
  return db
    .select({
      comment: videoComments,
      authorName: users.username,
      likedByMe: likedByMe.as('liked_by_me'),
      repliesFromVideoAuthor:
        sql<number>`(select count(*)::int from ${videoComments} as r where r.thread_id = ${videoComments.id} and r.author_id = ${reader.videoOwnerId} and r.deleted_at is null and not r.held_for_review)`.as(
          'replies_from_video_author',
        ),
    })
    .from(videoComments)
    .innerJoin(users, eq(users.id, videoComments.authorId));
}

export function toRecord(row: {
  comment: CommentRow;
  authorName: string;
  likedByMe: boolean;
  repliesFromVideoAuthor: number;
}): CommentRecord {
  return {
    ...row.comment,
    authorName: row.authorName,
    likedByMe: Boolean(row.likedByMe),
    repliesFromVideoAuthor: Number(row.repliesFromVideoAuthor),
  };
}
