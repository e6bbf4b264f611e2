import { sql } from 'drizzle-orm';
import type { Database } from '../../../../db/client.js';
import { RedisViewStore } from './redis-store.js';
import { MemoryViewStore, type ViewBatch, type ViewStore } from './store.js';

/** How views are counted (see `env.ts`: VIEW_WINDOW_SECONDS, VIEW_FLUSH_SECONDS, REDIS_URL). */
export interface ViewSettings {
  /** One view per viewer and video within this window. */
  windowSeconds: number;
  /** Pending views reach PostgreSQL at most this long after they were counted. */
  flushSeconds: number;
  /** Shared store for every origin; without it, this process's memory (embedded mode). */
  redisUrl?: string | undefined;
  /** Prefix of every Redis key, so deployments (and test runs) sharing a Redis stay apart. */
  redisPrefix?: string | undefined;
}

export const DEFAULT_VIEW_SETTINGS: ViewSettings = { windowSeconds: 3600, flushSeconds: 5 };

/** One view report: who (a user id or a client address), which video, where playback was. */
export interface ViewReport {
  videoId: string;
  viewerKey: string;
  /** Set for signed-in viewers whose history is kept. */
  userId?: string | undefined;
  currentTime?: number | undefined;
}

/**
 * Counts views without a database write per request: the store deduplicates and accumulates, and a
 * flush a few seconds later adds every pending count in one UPDATE and upserts history in one INSERT.
 */
export class ViewCounter {
  readonly #store: ViewStore;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<unknown> = Promise.resolve();
  onError: (error: unknown) => void = () => {};
  /** Told which videos' counts a flush just wrote (federation sends them, rate-limited). */
  onFlushed: (videoIds: string[]) => Promise<void> = async () => {};

  constructor(
    private readonly db: Database,
    private readonly settings: ViewSettings = DEFAULT_VIEW_SETTINGS,
  ) {
    this.#store = settings.redisUrl
      ? new RedisViewStore(settings.redisUrl, settings.redisPrefix ?? 'vidra:views:')
      : new MemoryViewStore();
  }

  /**
   * Count the view if it is this viewer's first in the window; history is updated either way. A
   * view is best effort: with the store unreachable (Redis down) it is lost and reported to
   * `onError`, and the viewer's request still succeeds.
   */
  async record(report: ViewReport): Promise<boolean> {
    try {
      const counted = await this.#store.countView(
        report.videoId,
        report.viewerKey,
        this.settings.windowSeconds * 1000,
      );
      if (report.userId) {
        await this.#store.recordHistory({
          userId: report.userId,
          videoId: report.videoId,
          currentTime: report.currentTime ?? 0,
          at: Date.now(),
        });
      }
      this.#schedule();
      return counted;
    } catch (error) {
      this.onError(error);
      return false;
    }
  }

  #schedule() {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush().catch(this.onError);
    }, this.settings.flushSeconds * 1000);
    this.#timer.unref?.();
  }

  /** Write everything pending now. Flushes run one at a time; a failed batch goes back to the store. */
  flush(): Promise<{ videos: number; history: number }> {
    const run = this.#flushing.then(async () => {
      const batch = await this.#store.drain();
      try {
        await writeBatch(this.db, batch);
      } catch (error) {
        await this.#store.restore(batch);
        throw error;
      }
      if (batch.views.size) await this.onFlushed([...batch.views.keys()]).catch(this.onError);
      return { videos: batch.views.size, history: batch.history.length };
    });
    this.#flushing = run.catch(() => {});
    return run;
  }

  /** Stop the timer and close the store; call `flush()` first to keep what is pending. */
  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#flushing;
    await this.#store.close();
  }
}

/** One UPDATE for every video's views; one upsert for history, skipping paused users and gone videos. */
async function writeBatch(db: Database, batch: ViewBatch): Promise<void> {
  if (batch.views.size) {
    const rows = [...batch.views].map(([id, n]) => sql`(${id}::uuid, ${n}::bigint)`);
    await db.execute(sql`update videos set views = videos.views + v.n
      from (values ${sql.join(rows, sql`, `)}) as v(id, n) where videos.id = v.id`);
  }
  if (batch.history.length) {
    const rows = batch.history.map(
      (h) =>
        sql`(${h.userId}::uuid, ${h.videoId}::uuid, ${h.currentTime}::real, ${new Date(h.at).toISOString()}::timestamptz)`,
    );
    await db.execute(sql`insert into watch_history (user_id, video_id, "current_time", watched_at)
      select h.user_id, h.video_id, h.t, h.at
      from (values ${sql.join(rows, sql`, `)}) as h(user_id, video_id, t, at)
      join videos on videos.id = h.video_id
      join users on users.id = h.user_id
      where not exists (select 1 from watch_history_pauses p where p.user_id = h.user_id)
      on conflict (user_id, video_id) do update
        set "current_time" = excluded."current_time", watched_at = excluded.watched_at
        where watch_history.watched_at <= excluded.watched_at`);
  }
}
