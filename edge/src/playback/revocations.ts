import { RevocationFeedMiniSchema } from '../../../protocol/api/internal-mini.js';
import { readOriginJson } from '../origin-answer.js';
import { fetchWithFailover, type OriginPool } from '../routing.js';
import { MAX_TOKEN_SECONDS } from './token.js';

/**
 * What this isolate knows of the origin's playback revocation feed (`GET /internal/v1/revocations`):
 * per video, its latest revocation epoch. A token carries the epoch of its video at issuance
 * (`rv`), so it is dead once the video has a newer one. Epochs are the origin's sequence numbers,
 * not times, so neither clock skew nor whole-second `iat` can let a token minted before a
 * revocation slip through, nor refuse one minted after it.
 */
export interface RevocationList {
  byVideo: Map<string, { seq: number; revokedAt: number }>;
  /** Highest `seq` applied: the next sync asks for what came after. */
  after: number;
  /** When the last successful sync started (Unix ms); undefined before the first. */
  syncedAt: number | undefined;
  /** The sync in flight, joined by every request that needs one. */
  syncing: Promise<void> | undefined;
}

export interface RevocationRow {
  videoId: string;
  seq: number;
  revokedAt: string;
  reason: string;
}

/** How often an isolate refreshes the list, and how long it may go on using one it cannot refresh. */
export interface RevocationTiming {
  syncMs: number;
  maxStaleMs: number;
}

export function createRevocationList(): RevocationList {
  return { byVideo: new Map(), after: 0, syncedAt: undefined, syncing: undefined };
}

/**
 * Apply one page of the feed. Returns the videos whose cached files should be purged now: those
 * deleted (a privacy or password change leaves the files valid for new tokens).
 */
export function applyRevocations(list: RevocationList, rows: readonly RevocationRow[]): string[] {
  const purge: string[] = [];
  for (const row of rows) {
    const known = list.byVideo.get(row.videoId);
    if (!known || known.seq < row.seq) {
      list.byVideo.set(row.videoId, { seq: row.seq, revokedAt: Date.parse(row.revokedAt) });
    }
    if (row.reason === 'video.deleted') purge.push(row.videoId);
    if (row.seq > list.after) list.after = row.seq;
  }
  return purge;
}

/** Forget revocations older than any live token (tokens live at most 24 h), with a margin for skew. */
export function pruneRevocations(list: RevocationList, now: number): void {
  const horizon = now - (MAX_TOKEN_SECONDS + 600) * 1000;
  for (const [videoId, entry] of list.byVideo) if (entry.revokedAt < horizon) list.byVideo.delete(videoId);
}

/** Whether a verified token's video was revoked after the token was minted. */
export function isRevoked(list: RevocationList, claims: { videoId: string; revocation: number }): boolean {
  const entry = list.byVideo.get(claims.videoId);
  return entry !== undefined && entry.seq > claims.revocation;
}

/** The list is due for a refresh (never synced, or older than the sync interval). */
export function needsSync(list: RevocationList, now: number, timing: RevocationTiming): boolean {
  return list.syncedAt === undefined || now - list.syncedAt >= timing.syncMs;
}

/**
 * Whether the list may still be trusted: synced within `maxStaleMs`. Past that the edge fails
 * closed: it refuses every token rather than honour one that may have been revoked meanwhile.
 */
export function isTrusted(list: RevocationList, now: number, timing: RevocationTiming): boolean {
  return list.syncedAt !== undefined && now - list.syncedAt <= timing.maxStaleMs;
}

const PAGES_PER_SYNC = 20;

/**
 * Bring the list up to date when it is due, at most one sync at a time per isolate: every request
 * arriving meanwhile waits on the same one. A failed sync keeps the old list (and its `syncedAt`),
 * so `isTrusted` decides how long that may go on. `purge` gets the videos whose files must go.
 */
export async function syncRevocations(
  list: RevocationList,
  source: { pool: OriginPool; internalApiToken: string },
  timing: RevocationTiming,
  purge: (videoIds: string[]) => void,
): Promise<void> {
  if (!needsSync(list, Date.now(), timing)) return;
  if (!list.syncing) {
    const started = Date.now();
    list.syncing = (async () => {
      for (let page = 0; page < PAGES_PER_SYNC; page++) {
        const res = await fetchWithFailover(source.pool, 'GET', (origin) =>
          fetch(`${origin}/internal/v1/revocations?after=${list.after}`, {
            headers: { authorization: `Bearer ${source.internalApiToken}` },
          }),
        );
        const feed = await readOriginJson(res, RevocationFeedMiniSchema, 'revocation feed');
        const deleted = applyRevocations(list, feed.revocations);
        if (deleted.length) purge(deleted);
        if (!feed.more) {
          list.syncedAt = started;
          pruneRevocations(list, started);
          return;
        }
      }
      // A backlog longer than one sync allows: keep going next time, without claiming freshness.
    })()
      .catch((error: unknown) => {
        console.error(JSON.stringify({ msg: 'revocation sync failed', error: String(error) }));
      })
      .finally(() => {
        list.syncing = undefined;
      });
  }
  await list.syncing;
}
