/** How long a live input may go without a fragment before FFmpeg is restarted (issue 10). */
export const STALL_MS = 3000;
/** Between SIGTERM and SIGKILL of a stalled FFmpeg. */
export const STOP_GRACE_MS = 1000;

/**
 * Decides when the live FFmpeg is stalled: no fragment for `stallMs` since the later of its start
 * and its last fragment. Pure, with an injected clock: the job polls `stalled()`.
 */
export class StallWatchdog {
  #since: number;
  #restarts = 0;

  constructor(
    private readonly now: () => number,
    private readonly stallMs = STALL_MS,
  ) {
    this.#since = now();
  }

  /** A new FFmpeg started: it gets a full `stallMs` to deliver its first fragment. */
  started(): void {
    this.#since = this.now();
  }

  fragment(): void {
    this.#since = this.now();
  }

  /** Milliseconds since the last sign of life. */
  get silentMs(): number {
    return this.now() - this.#since;
  }

  stalled(): boolean {
    return this.silentMs >= this.stallMs;
  }

  /** Counts a restart (for the logs) and returns the count. */
  restarted(): number {
    return ++this.#restarts;
  }

  get restarts(): number {
    return this.#restarts;
  }
}

/**
 * Delay before starting FFmpeg again after it exited on its own: the stream may not be published
 * yet (the publish races the pull) or the encoder is reconnecting. Quick at first, then at most 2 s.
 */
export function retryDelayMs(consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return 0;
  return Math.min(2000, 250 * 2 ** (consecutiveFailures - 1));
}
