/** Where a user's playback was, waiting to be written to `watch_history`. */
export interface HistoryEntry {
  userId: string;
  videoId: string;
  currentTime: number;
  /** Epoch milliseconds of the report. */
  at: number;
}

/** What a flush takes out of the store: views per video, and the latest history entry per pair. */
export interface ViewBatch {
  views: Map<string, number>;
  history: HistoryEntry[];
}

/**
 * The hot path of view counting: deduplication per viewer and window, and the pending counters,
 * kept out of PostgreSQL. Redis when origins share one (`REDIS_URL`), else this process's memory.
 */
export interface ViewStore {
  /** Count one view unless this viewer was counted for this video within `windowMs`. True if counted. */
  countView(videoId: string, viewerKey: string, windowMs: number): Promise<boolean>;
  recordHistory(entry: HistoryEntry): Promise<void>;
  /** Take everything pending, atomically: a view is in exactly one batch. */
  drain(): Promise<ViewBatch>;
  /** Put back a batch whose write failed, so the next flush retries it. */
  restore(batch: ViewBatch): Promise<void>;
  close(): Promise<void>;
}

const historyKey = (entry: { userId: string; videoId: string }) => `${entry.userId}:${entry.videoId}`;

/** The in-process store of the embedded mode (`npm start` without Redis): one origin, one memory. */
export class MemoryViewStore implements ViewStore {
  readonly #seen = new Map<string, number>();
  #views = new Map<string, number>();
  #history = new Map<string, HistoryEntry>();

  async countView(videoId: string, viewerKey: string, windowMs: number): Promise<boolean> {
    const key = `${videoId}:${viewerKey}`;
    const now = Date.now();
    const until = this.#seen.get(key);
    if (until !== undefined && until > now) return false;
    this.#seen.set(key, now + windowMs);
    this.#views.set(videoId, (this.#views.get(videoId) ?? 0) + 1);
    return true;
  }

  async recordHistory(entry: HistoryEntry): Promise<void> {
    const key = historyKey(entry);
    const known = this.#history.get(key);
    if (!known || known.at <= entry.at) this.#history.set(key, entry);
  }

  async drain(): Promise<ViewBatch> {
    const batch = { views: this.#views, history: [...this.#history.values()] };
    this.#views = new Map();
    this.#history = new Map();
    // Expired windows go with each flush, so the map holds at most one window of viewers.
    const now = Date.now();
    for (const [key, until] of this.#seen) if (until <= now) this.#seen.delete(key);
    return batch;
  }

  async restore(batch: ViewBatch): Promise<void> {
    for (const [videoId, n] of batch.views) this.#views.set(videoId, (this.#views.get(videoId) ?? 0) + n);
    for (const entry of batch.history) await this.recordHistory(entry);
  }

  async close(): Promise<void> {}
}
