import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { videos } from './videos.js';

/**
 * Comments on videos, with PeerTube's integer ids. A thread root has no `thread_id` (its own id is
 * the thread's); a reply names its thread and the comment it answers. A deleted comment keeps its
 * row as a tombstone (text cleared) so the replies under it keep their place.
 */
export const videoComments = pgTable(
  'video_comments',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    videoId: uuid('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    /** The thread root's id; null on the root itself. */
    threadId: integer('thread_id').references((): AnyPgColumn => videoComments.id, { onDelete: 'cascade' }),
    inReplyToId: integer('in_reply_to_id').references((): AnyPgColumn => videoComments.id, {
      onDelete: 'cascade',
    }),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The Markdown source, as written. */
    text: text('text').notNull(),
    /** The source rendered and sanitised once, at write time. */
    html: text('html').notNull(),
    /** Waiting for the video owner's approval (policy `approval`): shown to the owner and author only. */
    heldForReview: boolean('held_for_review').notNull().default(false),
    /** On a root: visible (not held, not deleted) replies in its thread. */
    replyCount: integer('reply_count').notNull().default(0),
    likeCount: integer('like_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    /** Set on a comment that came by federation (a `Note`): its ActivityPub id. */
    remoteId: text('remote_id'),
  },
  (t) => [
    uniqueIndex('video_comments_remote_id_key').on(t.remoteId),
    index('video_comments_roots_idx').on(t.videoId, t.id).where(sql`${t.threadId} is null`),
    index('video_comments_thread_idx').on(t.threadId, t.id),
  ],
);

/** One like per user and comment: the primary key is the uniqueness rule. */
export const commentLikes = pgTable(
  'comment_likes',
  {
    commentId: integer('comment_id')
      .notNull()
      .references(() => videoComments.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.commentId, t.userId] })],
);
