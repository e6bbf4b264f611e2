import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { channels } from './channels.js';
import { videos } from './videos.js';

export const videoRatingEnum = pgEnum('video_rating', ['like', 'dislike']);

/** One reaction per user and video (the primary key); "none" is the absence of a row. */
export const videoRatings = pgTable(
  'video_ratings',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    videoId: uuid('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    rating: videoRatingEnum('rating').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.videoId] }), index('video_ratings_video_idx').on(t.videoId)],
);

/**
 * Likes and dislikes of a video, kept in step with `video_ratings` by atomic increments in the
 * transaction that changes a rating, so a video's JSON reads two integers instead of counting.
 */
export const videoRatingCounts = pgTable('video_rating_counts', {
  videoId: uuid('video_id')
    .primaryKey()
    .references(() => videos.id, { onDelete: 'cascade' }),
  likes: integer('likes').notNull().default(0),
  dislikes: integer('dislikes').notNull().default(0),
});

/** A user's subscription to a channel. `seq` orders the list and backs its cursor. */
export const channelFollows = pgTable(
  'channel_follows',
  {
    followerId: uuid('follower_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.followerId, t.channelId] }),
    index('channel_follows_channel_idx').on(t.channelId),
    index('channel_follows_follower_seq_idx').on(t.followerId, t.seq),
  ],
);

/**
 * One notice to one user. `dedupe_key` is the outbox delivery's idempotency key, unique per user,
 * so a redelivered event never makes a second notice. A row exists when the user wants the kind in
 * the app (`web`) or by mail (`email`); `emailed_at` marks the mail as sent, so a retried delivery
 * mails only who was not mailed yet. Comment ids have no foreign key: comments live in their own
 * feature and a notice outlives a deleted comment.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    videoId: uuid('video_id').references(() => videos.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id').references(() => channels.id, { onDelete: 'cascade' }),
    commentId: integer('comment_id'),
    threadId: integer('thread_id'),
    /** Who caused it (a comment's author); null for the platform's own news. */
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    web: boolean('web').notNull(),
    email: boolean('email').notNull(),
    emailedAt: timestamp('emailed_at', { withTimezone: true }),
    readAt: timestamp('read_at', { withTimezone: true }),
    dedupeKey: text('dedupe_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('notifications_user_dedupe_key').on(t.userId, t.dedupeKey),
    index('notifications_user_id_idx').on(t.userId, t.id).where(sql`${t.web}`),
    index('notifications_unread_idx').on(t.userId).where(sql`${t.web} and ${t.readAt} is null`),
  ],
);

/**
 * Per-user choice of how each kind arrives, PeerTube's bit field per setting (1 web, 2 email).
 * No row means the defaults (`DEFAULT_NOTIFICATION_SETTING`: in the app only).
 */
export const notificationSettings = pgTable('notification_settings', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  newVideoFromSubscription: smallint('new_video_from_subscription').notNull().default(1),
  newCommentOnMyVideo: smallint('new_comment_on_my_video').notNull().default(1),
  commentMention: smallint('comment_mention').notNull().default(1),
  myVideoPublished: smallint('my_video_published').notNull().default(1),
  myVideoImportFinished: smallint('my_video_import_finished').notNull().default(1),
  myLiveStarted: smallint('my_live_started').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
