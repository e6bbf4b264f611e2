import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { LiveSettings } from '../../protocol/live.js';
import { channels } from './channels.js';
import { jobs } from './pipeline.js';
import { videos } from './videos.js';

/**
 * A channel's live endpoint: its stream key and SRT passphrase (SHA-256 only, never the plaintext),
 * the SRT port it holds while it has a key, and its settings. One row per channel.
 */
export const liveEndpoints = pgTable(
  'live_endpoints',
  {
    channelId: uuid('channel_id')
      .primaryKey()
      .references(() => channels.id, { onDelete: 'cascade' }),
    keyHash: text('key_hash').notNull(),
    srtPassphraseHash: text('srt_passphrase_hash').notNull(),
    /** Bumped by every rotation; the SRT passphrase is derived from it (`srtPassphrase`). */
    keyGeneration: integer('key_generation').notNull().default(1),
    /** From LIVE_SRT_PORTS; an SRT listener holds one passphrase per port. */
    srtPort: integer('srt_port').notNull(),
    settings: jsonb('settings').$type<LiveSettings>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    keyRotatedAt: timestamp('key_rotated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('live_endpoints_key_hash_key').on(t.keyHash),
    uniqueIndex('live_endpoints_srt_passphrase_hash_key').on(t.srtPassphraseHash),
    uniqueIndex('live_endpoints_srt_port_key').on(t.srtPort),
  ],
);

/**
 * One on-air stream of a channel, from the first authorized publisher to the end of its reconnect
 * window. At most one open session (`ended_at` null) per channel, enforced by a partial index.
 */
export const liveSessions = pgTable(
  'live_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    videoId: uuid('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    protocol: text('protocol').notNull(),
    /** The ingest node holding the current publisher, and where the transcoder pulls from. */
    node: text('node').notNull(),
    pullBaseUrl: text('pull_base_url').notNull(),
    /** Bumped on every authorize of this session; see `LiveAuthorizeResult.publisher`. */
    publisher: integer('publisher').notNull().default(1),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set while no publisher is connected: the session ends at `reconnect_deadline`. */
    disconnectedAt: timestamp('disconnected_at', { withTimezone: true }),
    reconnectDeadline: timestamp('reconnect_deadline', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('live_sessions_one_open_key').on(t.channelId).where(sql`${t.endedAt} is null`),
    index('live_sessions_deadline_idx').on(t.reconnectDeadline).where(sql`${t.endedAt} is null`),
    index('live_sessions_video_idx').on(t.videoId),
  ],
);
