import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { videos } from './videos.js';

export const uploadStateEnum = pgEnum('upload_state', ['pending', 'complete', 'expired', 'terminated']);

/** A resumable (tus) upload bound to one video. */
export const uploads = pgTable(
  'uploads',
  {
    id: text('id').primaryKey(),
    videoId: uuid('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    size: bigint('size', { mode: 'number' }),
    offset: bigint('offset', { mode: 'number' }).notNull().default(0),
    storageKey: text('storage_key').notNull(),
    state: uploadStateEnum('state').notNull().default('pending'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('uploads_video_idx').on(t.videoId), index('uploads_user_idx').on(t.userId)],
);

/** One rung of a video's HLS ladder, published by a transcoder. */
export const renditions = pgTable(
  'renditions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    videoId: uuid('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bitrate: integer('bitrate').notNull(),
    codecs: text('codecs'),
    /** Relative to the video, like `videos.assets` (`hls/720p/index.m3u8`). */
    playlistKey: text('playlist_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('renditions_video_size_key').on(t.videoId, t.width, t.height, t.bitrate)],
);

export const jobStateEnum = pgEnum('job_state', ['pending', 'leased', 'succeeded', 'failed', 'cancelled']);

/** One failed attempt of a job, as kept in `jobs.attempt_failures`. */
export interface JobAttemptFailure {
  attempt: number;
  reason: string;
  /** ISO time of the failure. */
  at: string;
}

/**
 * The transcoding queue. Runners claim with `FOR UPDATE SKIP LOCKED` and hold a lease kept alive by
 * heartbeats; an expired lease puts the job back. `attempts` is capped by `max_attempts`.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The video the job works on; null for jobs about no video (federation deliveries). */
    videoId: uuid('video_id').references(() => videos.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    state: jobStateEnum('state').notNull().default('pending'),
    payload: jsonb('payload').notNull().default({}),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    runAfter: timestamp('run_after', { withTimezone: true }).notNull().defaultNow(),
    runnerId: text('runner_id'),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    progress: integer('progress').notNull().default(0),
    error: text('error'),
    /** Why each failed attempt failed, oldest first (`JobAttemptFailure`): the owner reads them all. */
    attemptFailures: jsonb('attempt_failures').$type<JobAttemptFailure[]>().notNull().default([]),
    /** Set once the fast-first-play rendition was published, so a retry does not publish it twice. */
    previewPublishedAt: timestamp('preview_published_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('jobs_claimable_idx').on(t.state, t.runAfter),
    index('jobs_video_idx').on(t.videoId),
    // What the admin cleanup list and the quota look at: cleanups not done yet.
    index('jobs_open_cleanup_idx')
      .on(t.videoId)
      .where(sql`${t.kind} = 'cleanup' and ${t.state} <> 'succeeded'`),
  ],
);

/** Transcoders that registered with the registration token. Only a hash of their token is kept. */
export const runners = pgTable('runners', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Every state change of a video, in order. Server-sent events replay it (with Last-Event-ID), and
 * it is the audit trail that shows a video became ready exactly once.
 */
export const videoEvents = pgTable(
  'video_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    videoId: uuid('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    state: text('state').notNull(),
    detail: jsonb('detail').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('video_events_video_idx').on(t.videoId, t.id)],
);
