import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';

export const channels = pgTable(
  'channels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    handle: text('handle').notNull(),
    displayName: text('display_name').notNull(),
    description: text('description').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set on the mirror of a remote channel (a Group we follow): its ActivityPub id. */
    remoteActorId: text('remote_actor_id'),
    /** The remote Group's inbox (its instance's shared inbox when it has one): where we send to it. */
    remoteInbox: text('remote_inbox'),
  },
  (t) => [
    uniqueIndex('channels_remote_actor_key').on(t.remoteActorId),
    // Handles are unique regardless of case; the stored spelling is kept for display.
    uniqueIndex('channels_handle_lower_key').on(sql`lower(${t.handle})`),
    index('channels_owner_idx').on(t.ownerId),
  ],
);
