import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { videoComments } from './comments.js';
import { videos } from './videos.js';

/**
 * An account muted (`blocked` false) or blocked (`blocked` true) by another. Both hide the
 * target's comments from the owner; a block also stops the target commenting on the owner's videos.
 */
export const accountBlocks = pgTable(
  'account_blocks',
  {
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    targetId: uuid('target_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    blocked: boolean('blocked').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.ownerId, t.targetId] }),
    index('account_blocks_target_idx').on(t.targetId),
  ],
);

/**
 * A report (PeerTube's "abuse") on exactly one of a video, a comment or an account, with
 * PeerTube's integer ids and states (1 pending, 2 rejected, 3 accepted).
 */
export const abuses = pgTable(
  'abuses',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    reporterId: uuid('reporter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    predefinedReasons: jsonb('predefined_reasons').$type<string[]>().notNull().default([]),
    videoId: uuid('video_id').references(() => videos.id, { onDelete: 'cascade' }),
    commentId: integer('comment_id').references(() => videoComments.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id').references(() => users.id, { onDelete: 'cascade' }),
    state: smallint('state').notNull().default(1),
    moderationComment: text('moderation_comment'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('abuses_one_target', sql`num_nonnulls(${t.videoId}, ${t.commentId}, ${t.accountId}) = 1`),
    check('abuses_state', sql`${t.state} in (1, 2, 3)`),
    index('abuses_state_idx').on(t.state, t.id),
  ],
);
