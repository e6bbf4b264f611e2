import { createClient } from 'redis';
import type { HistoryEntry, ViewBatch, ViewStore } from './store.js';

// Read and delete in one step, so two origins flushing together never count a view twice.
const TAKE_HASH = "local v = redis.call('HGETALL', KEYS[1]); redis.call('DEL', KEYS[1]); return v";

/**
 * Views shared by every origin through Redis: `SET NX PX` marks a viewer for the window, a hash
 * holds the pending count per video, another the latest history entry per user and video.
 */
export class RedisViewStore implements ViewStore {
  readonly #client: ReturnType<typeof createClient>;
  #connecting: Promise<unknown> | undefined;
  #waitedOnce = false;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    // Fail fast while Redis is away (a view is best effort), and keep reconnecting in the background.
    this.#client = createClient({
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5000) },
    });
    // Errors surface on the calls that fail; the client reconnects by itself meanwhile.
    this.#client.on('error', () => {});
  }

  async #ready() {
    this.#connecting ??= this.#client.connect().catch(() => {});
    if (!this.#client.isReady && !this.#waitedOnce) {
      // The first connection may still be under way: give it a moment, once, not forever.
      await Promise.race([this.#connecting, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      this.#waitedOnce = true;
    }
    if (!this.#client.isReady) throw new Error('Redis is not reachable for view counting');
    return this.#client;
  }

  async countView(videoId: string, viewerKey: string, windowMs: number): Promise<boolean> {
    const client = await this.#ready();
    const fresh = await client.set(`${this.prefix}seen:${videoId}:${viewerKey}`, '1', {
      condition: 'NX',
      expiration: { type: 'PX', value: Math.max(1, Math.round(windowMs)) },
    });
    if (fresh !== 'OK') return false;
    await client.hIncrBy(`${this.prefix}pending`, videoId, 1);
    return true;
  }

  async recordHistory(entry: HistoryEntry): Promise<void> {
    const client = await this.#ready();
    await client.hSet(`${this.prefix}history`, `${entry.userId}:${entry.videoId}`, JSON.stringify(entry));
  }

  async drain(): Promise<ViewBatch> {
    const client = await this.#ready();
    const [views, history] = (await Promise.all([
      client.eval(TAKE_HASH, { keys: [`${this.prefix}pending`] }),
      client.eval(TAKE_HASH, { keys: [`${this.prefix}history`] }),
    ])) as [string[], string[]];
    const batch: ViewBatch = { views: new Map(), history: [] };
    for (let i = 0; i + 1 < views.length; i += 2) batch.views.set(views[i] as string, Number(views[i + 1]));
    for (let i = 1; i < history.length; i += 2) batch.history.push(JSON.parse(history[i] as string));
    return batch;
  }

  async restore(batch: ViewBatch): Promise<void> {
    const client = await this.#ready();
    for (const [videoId, n] of batch.views) await client.hIncrBy(`${this.prefix}pending`, videoId, n);
    for (const entry of batch.history) await this.recordHistory(entry);
  }

  async close(): Promise<void> {
    if (this.#client.isOpen) await this.#client.close();
  }
}
