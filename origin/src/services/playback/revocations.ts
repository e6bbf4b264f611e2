import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../../../db/client.js';
import { channels, playbackRevocations, videos } from '../../../../db/schema/index.js';
import type { RevocationFeed } from '../../../../protocol/api/internal.js';
import type { DomainEvent } from '../../../../protocol/events.js';

/**
 * Tokens never outlive 24 h (edge/src/playback/token.ts MAX_TOKEN_SECONDS), so a revocation older
 * than that can only refuse tokens that already expired: the feed leaves those out.
 */
export const REVOCATION_HORIZON_SECONDS = 24 * 3600 + 300;

/** Privacy levels whose set of viewers is not a superset of what any other level allows. */
const RESTRICTIVE = new Set(['internal', 'password', 'private']);

// Any constant: revocation writers take it for their transaction, so `seq` order is commit order
// and an edge that read up to `seq` N can never later find a smaller one committed behind it.
const SEQ_LOCK = 0x76_72_65_76; // "vrev"

/**
 * Which videos an event revokes playback of, and why; empty when it revokes nothing.
 * - `video.deleted`: the video.
 * - `video.privacy_changed` to internal, password or private: viewers allowed before may not be now.
 *   Moves to public or unlisted only widen access, so their tokens stay.
 * - `video.updated` with a password change: tokens opened with the old password.
 * - `user.suspended`: every video of every channel the user owns.
 */
export async function videosRevokedBy(db: Executor, event: DomainEvent): Promise<string[]> {
  switch (event.type) {
    case 'video.deleted':
      return [event.payload.videoId];
    case 'video.privacy_changed':
      return RESTRICTIVE.has(event.payload.to) ? [event.payload.videoId] : [];
    case 'video.updated':
      return event.payload.changed.includes('password') ? [event.payload.videoId] : [];
    case 'user.suspended': {
      const rows = await db
        .select({ id: videos.id })
        .from(videos)
        .innerJoin(channels, eq(channels.id, videos.channelId))
        .where(eq(channels.ownerId, event.payload.userId));
      return rows.map((r) => r.id);
    }
    default:
      return [];
  }
}

/**
 * Write one revocation epoch per video, once per `eventKey` (the outbox delivery's idempotency
 * key): a redelivered event inserts nothing. Returns how many rows were new.
 */
export async function recordRevocations(
  db: Database,
  input: { eventKey: string; reason: string; videoIds: readonly string[] },
): Promise<number> {
  if (input.videoIds.length === 0) return 0;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEQ_LOCK})`);
    const inserted = await tx
      .insert(playbackRevocations)
      .values(input.videoIds.map((videoId) => ({ videoId, reason: input.reason, eventKey: input.eventKey })))
      .onConflictDoNothing()
      .returning({ seq: playbackRevocations.seq });
    return inserted.length;
  });
}

/** Revocations after `after`, oldest first, within the token horizon; `more` when a page is full. */
export async function listRevocations(
  db: Executor,
  input: { after: number; limit: number },
): Promise<RevocationFeed> {
  const rows = await db
    .select({
      videoId: playbackRevocations.videoId,
      seq: playbackRevocations.seq,
      revokedAt: playbackRevocations.revokedAt,
      reason: playbackRevocations.reason,
    })
    .from(playbackRevocations)
    .where(
      and(
        gt(playbackRevocations.seq, input.after),
        gt(playbackRevocations.revokedAt, sql`now() - ${`${REVOCATION_HORIZON_SECONDS} seconds`}::interval`),
      ),
    )
    .orderBy(asc(playbackRevocations.seq))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return {
    revocations: page.map((r) => ({ ...r, revokedAt: r.revokedAt.toISOString() })),
    more: rows.length > input.limit,
  };
}

/** The latest revocation epoch of each video (0 when it has none). */
export async function revocationEpochs(
  db: Executor,
  videoIds: readonly string[],
): Promise<Map<string, number>> {
  const epochs = new Map(videoIds.map((id) => [id, 0]));
  if (videoIds.length === 0) return epochs;
  const rows = await db
    .selectDistinctOn([playbackRevocations.videoId], {
      videoId: playbackRevocations.videoId,
      seq: playbackRevocations.seq,
    })
    .from(playbackRevocations)
    .where(inArray(playbackRevocations.videoId, [...videoIds]))
    .orderBy(playbackRevocations.videoId, desc(playbackRevocations.seq));
  for (const row of rows) epochs.set(row.videoId, row.seq);
  return epochs;
}
