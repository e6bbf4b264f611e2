/**
 * Health-aware choice among the regional origins listed in ORIGINS (nearest first). Health is
 * learned from traffic and from `/healthz` probes, cached per isolate, so a dead origin costs at
 * most one failed request per `downForMs` instead of one per request.
 */
export class OriginPool {
  readonly #downUntil = new Map<string, number>();

  constructor(
    readonly origins: readonly string[],
    private readonly options: { downForMs: number; now?: () => number } = { downForMs: 30_000 },
  ) {
    if (origins.length === 0) throw new Error('OriginPool needs at least one origin');
  }

  #now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Origins to try, in order: healthy ones in ORIGINS order, then the ones marked down (last resort). */
  candidates(): string[] {
    const now = this.#now();
    const up = this.origins.filter((o) => (this.#downUntil.get(o) ?? 0) <= now);
    const down = this.origins.filter((o) => (this.#downUntil.get(o) ?? 0) > now);
    return [...up, ...down];
  }

  markDown(origin: string): void {
    this.#downUntil.set(origin, this.#now() + this.options.downForMs);
  }

  markUp(origin: string): void {
    this.#downUntil.delete(origin);
  }
}

/** Methods that carry no body and may be sent again to another origin without side effects. */
export const RETRYABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Statuses that mean "this origin cannot answer now", as opposed to an answer. */
export const FAILOVER_STATUSES = new Set([502, 503, 504]);

/**
 * Send a request to the first origin that answers. Bodyless, idempotent requests fail over to the
 * next origin on a network error or a 502/503/504; others go to one origin only, since their body
 * cannot be replayed.
 */
export async function fetchWithFailover(
  pool: OriginPool,
  method: string,
  send: (origin: string) => Promise<Response>,
): Promise<Response> {
  const candidates = RETRYABLE_METHODS.has(method) ? pool.candidates() : pool.candidates().slice(0, 1);
  let lastError: unknown;
  for (const [i, origin] of candidates.entries()) {
    try {
      const response = await send(origin);
      if (FAILOVER_STATUSES.has(response.status) && i < candidates.length - 1) {
        pool.markDown(origin);
        continue;
      }
      pool.markUp(origin);
      return response;
    } catch (error) {
      pool.markDown(origin);
      lastError = error;
    }
  }
  throw lastError ?? new Error('no origin answered');
}
