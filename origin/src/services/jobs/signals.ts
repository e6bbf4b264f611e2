/**
 * In-process news about the job queue, so timers and long-polls of this origin react at once
 * instead of on a tick. Other origins sharing the database do not hear it: the lease watch
 * rescans and long-polls keep polling, so signals only ever make things faster, never correct.
 */
export class JobSignals {
  #leaseListeners = new Set<(expiresAt: Date) => void>();
  #waiters = new Set<() => void>();

  /** A lease was taken or renewed on this origin; it expires at `expiresAt`. */
  leased(expiresAt: Date): void {
    for (const listener of this.#leaseListeners) listener(expiresAt);
  }

  /** Call `listener` on every lease taken or renewed; returns the unsubscribe function. */
  onLeased(listener: (expiresAt: Date) => void): () => void {
    this.#leaseListeners.add(listener);
    return () => this.#leaseListeners.delete(listener);
  }

  /** Jobs went (back) on offer: wake every long-poll waiting on this origin. */
  available(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves on the next `available()`, after `ms`, or when `signal` aborts, whichever is first. */
  nextAvailable(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.#waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
