import { index, pgTable, primaryKey, real, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { videos } from './videos.js';

/** What each user watched, last watch first; written in batches by the view counter's flush. */
export const watchHistory = pgTable(
  'watch_history',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    videoId: uuid('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    /** Where playback was, in seconds, at the last report. */
    currentTime: real('current_time').notNull().default(0),
    watchedAt: timestamp('watched_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.videoId] }),
    index('watch_history_user_idx').on(t.userId, t.watchedAt),
  ],
);

/** Users who paused their history (PeerTube's `videosHistoryEnabled: false`); absent means enabled. */
export const watchHistoryPauses = pgTable('watch_history_pauses', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  pausedAt: timestamp('paused_at', { withTimezone: true }).notNull().defaultNow(),
});
