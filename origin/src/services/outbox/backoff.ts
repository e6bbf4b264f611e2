/** Retry timing of outbox deliveries: the first retry after `baseMs`, doubling, never over `maxMs`. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 10 * 60_000 };

/** Milliseconds to wait after failed attempt number `attempt` (1-based). */
export function deliveryBackoffMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
}
