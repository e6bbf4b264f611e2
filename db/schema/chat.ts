import { index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { channels } from './channels.js';
import { videos } from './videos.js';

/**
 * Live chat messages, one room per video (issue 11). Written before the sender's `ack`, so an
 * acknowledged message is never lost; a resend with the same `client_msg_id` finds its first row.
 */
export const chatMessages = pgTable(
  'chat_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    videoId: uuid('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    clientMsgId: text('client_msg_id').notNull(),
    text: text('text').notNull(),
    /** Milliseconds from the start of the live session, for the replay. */
    offsetMs: integer('offset_ms').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Removed by a moderator: kept for the record, never served. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('chat_messages_client_key').on(t.videoId, t.userId, t.clientMsgId),
    index('chat_messages_room_offset_idx').on(t.videoId, t.offsetMs),
  ],
);

/**
 * Who may not post in a channel's chats: a ban (`until` null) or a timeout (until `until`).
 * Per channel, so a ban outlives reconnects and the next live of the same channel.
 */
export const chatSanctions = pgTable(
  'chat_sanctions',
  {
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    until: timestamp('until', { withTimezone: true }),
    byUserId: uuid('by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.userId] })],
);

/** Chat moderators a channel owner named (besides the owner and admins, who always moderate). */
export const chatModerators = pgTable(
  'chat_moderators',
  {
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.userId] })],
);

/** Per-room settings a moderator changed (slow mode); no row means the defaults. */
export const chatRooms = pgTable('chat_rooms', {
  videoId: uuid('video_id')
    .primaryKey()
    .references(() => videos.id, { onDelete: 'cascade' }),
  slowModeSeconds: integer('slow_mode_seconds').notNull().default(0),
});
