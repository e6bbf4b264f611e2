import type { HostStatus } from '../../../../protocol/api/federation.js';
/**
 * Retry timing of our deliveries: exponential from 2 s (a blip costs seconds, not minutes),
 * capped at 6 h, with ±20 % jitter so a host that came back is not hit by every delivery at
 * once. 20 attempts span well over 24 h, even with the jitter at its shortest.
 */
export const DELIVERY_RETRY = { baseMs: 2_000, maxMs: 6 * 3_600_000, maxAttempts: 20, jitter: 0.2 };

/** Milliseconds to wait after failed attempt `attempt` (1-based); `random` in [0, 1). */
export function retryDelayMs(attempt: number, random: number, policy = DELIVERY_RETRY): number {
  const base = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - policy.jitter + 2 * policy.jitter * random));
}

/** What one answer means for a delivery: done, never again (404/410), or later. */
export function classifyStatus(status: number): 'delivered' | 'gone' | 'retry' | 'failed' {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 404 || status === 410) return 'gone';
  if (status >= 500 || status === 429 || status === 408) return 'retry';
  return 'failed';
}

/** Failures in a row that open a host's breaker. */
export const BREAKER_FAILURES = 5;

/**
 * How a host looks to admins, from its pending deliveries: `failing` once one of them has failed
 * as often as it takes to open the breaker, `retrying` while some failed at least once.
 */
export function hostStatus(pending: { retrying: number; maxAttempts: number }): HostStatus {
  if (pending.maxAttempts >= BREAKER_FAILURES) return 'failing';
  return pending.retrying > 0 ? 'retrying' : 'ok';
}

/**
 * A per-host circuit breaker: `threshold` failures in a row open it for `openMs`, during which
 * that host's deliveries wait instead of tying up workers; one success closes it.
 */
export class HostBreakers {
  private readonly hosts = new Map<string, { failures: number; openUntil: number }>();

  constructor(
    private readonly threshold = BREAKER_FAILURES,
    private readonly openMs = 60_000,
  ) {}

  isOpen(host: string, now = Date.now()): boolean {
    return (this.hosts.get(host)?.openUntil ?? 0) > now;
  }

  /** Hosts whose breaker is open now. */
  openHosts(now = Date.now()): string[] {
    return [...this.hosts].filter(([, s]) => s.openUntil > now).map(([host]) => host);
  }

  record(host: string, ok: boolean, now = Date.now()): void {
    if (ok) {
      this.hosts.delete(host);
      return;
    }
    const state = this.hosts.get(host) ?? { failures: 0, openUntil: 0 };
    state.failures += 1;
    if (state.failures >= this.threshold) state.openUntil = now + this.openMs;
    this.hosts.set(host, state);
  }

  snapshot(): Record<string, { failures: number; open: boolean }> {
    return Object.fromEntries(
      [...this.hosts].map(([h, s]) => [h, { failures: s.failures, open: this.isOpen(h) }]),
    );
  }
}
