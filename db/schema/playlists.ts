import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  pgEnum,
  pgTable,
  real,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { PLAYLIST_PRIVACY_LEVELS, PLAYLIST_TYPES } from '../../protocol/playlist-enums.js';
import { users } from './accounts.js';
import { videos } from './videos.js';

export const playlistPrivacyEnum = pgEnum('playlist_privacy', PLAYLIST_PRIVACY_LEVELS);
export const playlistTypeEnum = pgEnum('playlist_type', PLAYLIST_TYPES);

/** A user's ordered list of videos. Its elements are filtered by each video's own privacy on read. */
export const videoPlaylists = pgTable(
  'video_playlists',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Insertion order, for keyset pages of the public list. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    displayName: text('display_name').notNull(),
    description: text('description').notNull().default(''),
    privacy: playlistPrivacyEnum('privacy').notNull().default('private'),
    type: playlistTypeEnum('type').notNull().default('regular'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('video_playlists_owner_idx').on(t.ownerId, t.seq),
    index('video_playlists_public_idx').on(t.seq).where(sql`${t.privacy} = 'public'`),
    // One watch-later playlist per user, so creating it on first use cannot race into two.
    uniqueIndex('video_playlists_watch_later_key').on(t.ownerId).where(sql`${t.type} = 'watch_later'`),
  ],
);

/** One video at one position (1-based, contiguous) of a playlist. Integer ids, as PeerTube's. */
export const videoPlaylistElements = pgTable(
  'video_playlist_elements',
  {
    id: serial('id').primaryKey(),
    playlistId: uuid('playlist_id')
      .notNull()
      .references(() => videoPlaylists.id, { onDelete: 'cascade' }),
    videoId: uuid('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    startTimestamp: real('start_timestamp'),
    stopTimestamp: real('stop_timestamp'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('video_playlist_elements_playlist_idx').on(t.playlistId, t.position)],
);
