import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { COMMENTS_POLICIES } from '../../protocol/comment-enums.js';
import { PRIVACY_LEVELS, VIDEO_STATES } from '../../protocol/video.js';
import { channels } from './channels.js';

/**
 * Where a ready video's files are: keys relative to the video's storage prefix (`hls/master.m3u8`),
 * named by protocol/media.ts. `videoObjectKey(id, key)` gives the storage key.
 */
export interface VideoAssets {
  /** Bumped on every publish, so caches keyed on it never serve a superseded playlist. */
  version: number;
  master: string;
  thumbnail?: string;
  /** The storyboard's WebVTT; the sprite it points at sits next to it. */
  storyboardVtt?: string;
}

/** The remote instance's media of a mirrored video: played from there, never copied. */
export interface RemoteVideoMedia {
  hls: string;
  thumbnail?: string;
}

export const privacyEnum = pgEnum('video_privacy', PRIVACY_LEVELS);
export const videoStateEnum = pgEnum('video_state', VIDEO_STATES);
export const commentsPolicyEnum = pgEnum('comments_policy', COMMENTS_POLICIES);

export const videos = pgTable(
  'videos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Monotonic insertion order; list cursors point at it so pages stay stable under inserts. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    privacy: privacyEnum('privacy').notNull().default('public'),
    /** scrypt hash of the viewing password, set only when privacy is `password`. */
    passwordHash: text('password_hash'),
    /** Who may comment: anyone who sees the video, nobody, or anyone but held for the owner. */
    commentsPolicy: commentsPolicyEnum('comments_policy').notNull().default('enabled'),
    state: videoStateEnum('state').notNull().default('created'),
    /** 0-100 while uploading or transcoding. */
    progress: integer('progress').notNull().default(0),
    /** Why the video failed, in words a person can read. */
    error: text('error'),
    durationSeconds: real('duration_seconds'),
    /** Published outputs, keys relative to the video; set when a transcode publishes. */
    assets: jsonb('assets').$type<VideoAssets>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the video was deleted; its files stay until its `cleanup` job succeeds. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    // `search_vector` (title A, description B, tags C, folded) and its GIN index are created by hand in
    // migration 0008 and read only by services/search: left out here so that no other select carries it.
    /** Up to 5 tags (PeerTube's limits), searched with weight C. */
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /** Views counted so far; the view counter adds to it in batches (services/views). */
    views: bigint('views', { mode: 'number' }).notNull().default(0),
    /** Set on the mirror of a remote video: its ActivityPub id (`https://peer/videos/watch/<uuid>`). */
    remoteUrl: text('remote_url'),
    /** Where a remote video plays from (its instance's HLS master) and its thumbnail. */
    remoteMedia: jsonb('remote_media').$type<RemoteVideoMedia>(),
  },
  (t) => [
    index('videos_seq_idx').on(t.seq),
    uniqueIndex('videos_remote_url_key').on(t.remoteUrl),
    index('videos_channel_seq_idx').on(t.channelId, t.seq),
    index('videos_listable_idx').on(t.privacy, t.seq).where(sql`${t.state} <> 'deleted'`),
  ],
);
