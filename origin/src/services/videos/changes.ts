import { sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';

/** `NOTIFY` channel whose payload is the id of a video whose state or progress changed. */
export const VIDEO_CHANGES_CHANNEL = 'vidra_video_changes';

/**
 * Tell every origin that a video changed, in the caller's transaction: PostgreSQL delivers the
 * notification on commit (and never for a rollback), so a listener never reads a change too early.
 */
export async function notifyVideoChanged(tx: Executor, videoId: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${VIDEO_CHANGES_CHANNEL}, ${videoId})`);
}

/**
 * This origin's fan-out of video change notifications to the requests waiting on them (the
 * server-sent event streams), so a stream waits on a notification instead of polling the table.
 * `main.ts` feeds it from `LISTEN`; without a feed, waits simply end at their timeout.
 */
export class VideoChanges {
  readonly #waiters = new Map<string, Set<() => void>>();

  /** A change of `videoId` committed (here or on another origin). */
  notify(videoId: string): void {
    const waiters = this.#waiters.get(videoId);
    if (!waiters) return;
    this.#waiters.delete(videoId);
    for (const wake of waiters) wake();
  }

  /** Resolves at the next change of the video, after `timeoutMs`, or on abort, whichever is first. */
  next(videoId: string, timeoutMs: number, signal?: AbortSignal): Promise<'changed' | 'timeout'> {
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(videoId) ?? new Set<() => void>();
      this.#waiters.set(videoId, waiters);
      const settle = (outcome: 'changed' | 'timeout') => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        waiters.delete(wake);
        if (waiters.size === 0 && this.#waiters.get(videoId) === waiters) this.#waiters.delete(videoId);
        resolve(outcome);
      };
      const wake = () => settle('changed');
      const onAbort = () => settle('timeout');
      const timer = setTimeout(() => settle('timeout'), Math.max(0, timeoutMs));
      waiters.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** How many requests wait right now (for tests and metrics). */
  get waiting(): number {
    let n = 0;
    for (const set of this.#waiters.values()) n += set.size;
    return n;
  }
}
