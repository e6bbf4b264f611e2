import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { authThrottle } from '../../../db/schema/index.js';
import { TooManyRequestsError } from '../lib/errors.js';

export interface ThrottlePolicy {
  /** Failures allowed inside one window before the key is locked. */
  maxFailures: number;
  windowSeconds: number;
  lockSeconds: number;
}

/**
 * Brute-force throttle backed by the database, so every origin behind the load balancer shares
 * the counters. Keys look like `login:email:<email>` or `login:ip:<ip>`.
 */
export class Throttle {
  constructor(
    private readonly db: Database,
    private readonly policy: ThrottlePolicy,
  ) {}

  /** Throw `TooManyRequestsError` if any of the keys is locked right now. */
  async assertAllowed(keys: string[], message: string, now = new Date()): Promise<void> {
    for (const key of keys) {
      const [row] = await this.db.select().from(authThrottle).where(eq(authThrottle.key, key));
      if (row?.lockedUntil && row.lockedUntil > now) {
        const retryAfter = Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000);
        throw new TooManyRequestsError(message, retryAfter);
      }
    }
  }

  /** Count a failure against each key, locking a key once it passes the limit. */
  async recordFailure(keys: string[], now = new Date()): Promise<void> {
    const { maxFailures, windowSeconds, lockSeconds } = this.policy;
    const windowStart = new Date(now.getTime() - windowSeconds * 1000);
    const lockUntil = new Date(now.getTime() + lockSeconds * 1000);
    for (const key of keys) {
      // One statement, so concurrent failures on several origins cannot lose a count.
      await this.db
        .insert(authThrottle)
        .values({ key, failures: 1, windowStartedAt: now })
        .onConflictDoUpdate({
          target: authThrottle.key,
          set: {
            failures: sql`case when ${authThrottle.windowStartedAt} < ${windowStart.toISOString()}::timestamptz then 1 else ${authThrottle.failures} + 1 end`,
            windowStartedAt: sql`case when ${authThrottle.windowStartedAt} < ${windowStart.toISOString()}::timestamptz then ${now.toISOString()}::timestamptz else ${authThrottle.windowStartedAt} end`,
          },
        });
      await this.db
        .update(authThrottle)
        .set({ lockedUntil: lockUntil, failures: 0, windowStartedAt: now })
        .where(sql`${authThrottle.key} = ${key} and ${authThrottle.failures} >= ${maxFailures}`);
    }
  }

  /** Forget failures after a success. */
  async reset(keys: string[]): Promise<void> {
    for (const key of keys) await this.db.delete(authThrottle).where(eq(authThrottle.key, key));
  }
}
