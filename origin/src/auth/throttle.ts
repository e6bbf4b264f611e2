import { eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { authThrottle } from '../../../db/schema/index.js';
import { TooManyRequestsError } from '../lib/errors.js';

/**
 * Keycloak's brute-force detection, per counter: once `failureFactor` failures have been counted,
 * every further failure makes the key wait `waitIncrementSeconds * floor(failures / failureFactor)`,
 * at most `maxWaitSeconds`. The count starts over `failureResetSeconds` after its first failure.
 * A wait is a delay, never a permanent lock. See docs/adr/0008-brute-force.md.
 */
export interface DelayPolicy {
  failureFactor: number;
  waitIncrementSeconds: number;
  maxWaitSeconds: number;
  failureResetSeconds: number;
}

/** The three counters of one throttle and how long a successful address stays familiar. */
export interface ThrottlePolicy {
  /** One subject (an email, a video) from one address: the typo-ing user, the lone guesser. */
  pair: DelayPolicy;
  /** One address, any subject: password spraying from one place. */
  address: DelayPolicy;
  /** One subject, any address: the distributed guesser. High, and skipped for familiar addresses. */
  subject: DelayPolicy;
  /** An address that got in stays exempt from the subject ceiling this long. */
  familiarSeconds: number;
}

/** Who is guessing (address) at what (subject). */
export interface Attempt {
  subject: string;
  address: string;
}

/** Seconds a key must wait after its `failures`-th failure (0: none). Pure. */
export function waitAfterFailures(policy: DelayPolicy, failures: number): number {
  const steps = Math.floor(failures / policy.failureFactor);
  return Math.min(policy.maxWaitSeconds, steps * policy.waitIncrementSeconds);
}

/**
 * Brute-force throttle backed by the database, so every origin behind the load balancer shares the
 * counters. A third party at another address cannot lock a user out: its failures delay its own
 * (subject, address) pair and address, and the subject-wide ceiling never applies to an address the
 * subject recently succeeded from.
 */
export class Throttle {
  constructor(
    private readonly db: Database,
    /** Key prefix: `login`, `video-password`. */
    private readonly name: string,
    private readonly policy: ThrottlePolicy,
  ) {}

  private keys({ subject, address }: Attempt) {
    return {
      pair: `${this.name}:pair:${subject}:${address}`,
      address: `${this.name}:address:${address}`,
      subject: `${this.name}:subject:${subject}`,
      familiar: `${this.name}:familiar:${subject}:${address}`,
    };
  }

  /** Throw `TooManyRequestsError` (with Retry-After seconds) if this attempt must wait. */
  async assertAllowed(attempt: Attempt, message: string, now = new Date()): Promise<void> {
    const keys = this.keys(attempt);
    const rows = await this.db
      .select()
      .from(authThrottle)
      .where(inArray(authThrottle.key, Object.values(keys)));
    const until = new Map(rows.map((row) => [row.key, row.lockedUntil?.getTime() ?? 0]));
    const familiar = (until.get(keys.familiar) ?? 0) > now.getTime();
    const blocking = [keys.pair, keys.address, ...(familiar ? [] : [keys.subject])];
    const waitUntil = Math.max(0, ...blocking.map((key) => until.get(key) ?? 0));
    if (waitUntil > now.getTime()) {
      throw new TooManyRequestsError(message, Math.ceil((waitUntil - now.getTime()) / 1000));
    }
  }

  /** Count a failure on the pair, the address and the subject, and set each key's wait. */
  async recordFailure(attempt: Attempt, now = new Date()): Promise<void> {
    const keys = this.keys(attempt);
    await this.count(keys.pair, this.policy.pair, now);
    await this.count(keys.address, this.policy.address, now);
    await this.count(keys.subject, this.policy.subject, now);
  }

  /**
   * Forget the pair's failures and remember the address as familiar. The address and subject
   * counters stay: a guesser's own account must not wash its spraying away.
   */
  async recordSuccess(attempt: Attempt, now = new Date()): Promise<void> {
    const keys = this.keys(attempt);
    const familiarUntil = new Date(now.getTime() + this.policy.familiarSeconds * 1000);
    await this.db.delete(authThrottle).where(eq(authThrottle.key, keys.pair));
    await this.db
      .insert(authThrottle)
      .values({ key: keys.familiar, failures: 0, windowStartedAt: now, lockedUntil: familiarUntil })
      .onConflictDoUpdate({ target: authThrottle.key, set: { lockedUntil: familiarUntil } });
  }

  private async count(key: string, policy: DelayPolicy, now: Date): Promise<void> {
    const resetBefore = new Date(now.getTime() - policy.failureResetSeconds * 1000).toISOString();
    const expired = sql`${authThrottle.windowStartedAt} < ${resetBefore}::timestamptz`;
    // One statement, so concurrent failures on several origins cannot lose a count.
    const [row] = await this.db
      .insert(authThrottle)
      .values({ key, failures: 1, windowStartedAt: now })
      .onConflictDoUpdate({
        target: authThrottle.key,
        set: {
          failures: sql`case when ${expired} then 1 else ${authThrottle.failures} + 1 end`,
          windowStartedAt: sql`case when ${expired} then ${now.toISOString()}::timestamptz else ${authThrottle.windowStartedAt} end`,
        },
      })
      .returning({ failures: authThrottle.failures });
    const wait = waitAfterFailures(policy, row?.failures ?? 1);
    if (wait === 0) return;
    const lockedUntil = new Date(now.getTime() + wait * 1000);
    await this.db.update(authThrottle).set({ lockedUntil }).where(eq(authThrottle.key, key));
  }
}
