import { bigserial, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Per-video playback revocation epochs, the feed the edge syncs (`GET /internal/v1/revocations`).
 * A row says: every playback token of `video_id` minted under an earlier epoch stops working.
 * Written by the `edge-cache-purge` outbox subscriber; `event_key` is the delivery's idempotency
 * key, so a redelivered event adds nothing. No foreign key: a deleted video must stay revocable.
 */
export const playbackRevocations = pgTable(
  'playback_revocations',
  {
    /** The epoch: tokens carry the latest `seq` of their video at issuance (`rv`). */
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    videoId: uuid('video_id').notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }).notNull().defaultNow(),
    /** The event type that caused it (`video.deleted`, `user.suspended`, ...). */
    reason: text('reason').notNull(),
    eventKey: text('event_key').notNull(),
  },
  (t) => [
    uniqueIndex('playback_revocations_event_video_key').on(t.eventKey, t.videoId),
    index('playback_revocations_video_idx').on(t.videoId, t.seq),
    index('playback_revocations_revoked_at_idx').on(t.revokedAt),
  ],
);
