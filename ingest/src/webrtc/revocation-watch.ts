import type { Logger } from 'pino';
import type { RevocationFeed } from '../../../protocol/api/internal.js';

export interface RevocationWatchOptions {
  feed: (after: number) => Promise<RevocationFeed>;
  intervalMs: number;
  /** Called with the videos revoked since the last read. */
  onRevoked: (videoIds: ReadonlySet<string>) => void;
  logger: Logger;
}

/**
 * Follows the origin's playback revocation feed, the one the edge syncs (`/internal/v1/revocations`).
 * The edge refuses a revoked token on its next HLS request, but a WHEP session makes no more
 * requests once ICE connects: this is what cuts it. The first read only finds where the feed
 * ends (no viewer of this node predates its start).
 */
export class RevocationWatch {
  readonly #options: RevocationWatchOptions;
  #after: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #failing = false;

  constructor(options: RevocationWatchOptions) {
    this.#options = options;
  }

  start(): void {
    void this.#tick();
  }

  /** One read of the feed to its end; exported for tests. */
  async poll(): Promise<void> {
    const revoked = new Set<string>();
    let after = this.#after ?? 0;
    for (;;) {
      const page = await this.#options.feed(after);
      for (const r of page.revocations) {
        if (this.#after !== undefined) revoked.add(r.videoId);
        after = Math.max(after, r.seq);
      }
      if (!page.more || page.revocations.length === 0) break;
    }
    this.#after = after;
    if (revoked.size > 0) this.#options.onRevoked(revoked);
  }

  async #tick(): Promise<void> {
    try {
      await this.poll();
      if (this.#failing) this.#options.logger.info('revocation feed readable again');
      this.#failing = false;
    } catch (err) {
      // Logged once per outage, not once per tick.
      if (!this.#failing) this.#options.logger.warn({ err }, 'cannot read the revocation feed; retrying');
      this.#failing = true;
    }
    if (!this.#stopped) this.#timer = setTimeout(() => void this.#tick(), this.#options.intervalMs);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }
}
