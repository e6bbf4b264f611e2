import type { Logger } from '../../lib/logger.js';
import type { ServiceContext } from '../context.js';
import { earliestLeaseExpiry, reapExpiredLeases } from './queue.js';

/** Fire this long after an expiry, so the reap's `lease_expires_at < now` already holds. */
const MARGIN_MS = 25;

export interface LeaseWatch {
  /** Stop the timer and wait for a reap in progress, so the database can close after it. */
  stop(): Promise<void>;
}

/**
 * Puts jobs whose runner went quiet back on the queue at the earliest `lease_expires_at`, not on a
 * fixed tick: one timer, armed for the earliest lease in the table, re-armed after every reap and
 * moved earlier whenever this origin grants or renews a lease.
 *
 * Several origins may share the database: each runs its own watch, reaps are `SKIP LOCKED`
 * transactions, so two watches firing together settle each job once. A lease granted by another
 * origin is learnt by a rescan at least every `rescanSeconds` (default: the shortest lease of any
 * kind), which always comes before that lease can run out.
 */
export function watchLeases(
  ctx: ServiceContext,
  options: { logger: Logger; rescanSeconds?: number },
): LeaseWatch {
  const { logger } = options;
  const shortest = Math.min(...Object.values(ctx.config.jobs.leaseSeconds));
  const rescanMs = Math.min(30, Math.max(1, options.rescanSeconds ?? shortest)) * 1000;
  let timer: NodeJS.Timeout | undefined;
  let due = Number.POSITIVE_INFINITY;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const armAt = (at: number) => {
    if (stopped || (timer && at >= due)) return;
    clearTimeout(timer);
    due = at;
    timer = setTimeout(tick, Math.max(0, at - Date.now()));
    timer.unref();
  };

  async function reapAndRearm(): Promise<void> {
    let next = Date.now() + rescanMs;
    try {
      const reaped = await reapExpiredLeases(ctx);
      if (reaped > 0) {
        logger.info({ reaped }, 'leases expired; jobs back on offer');
        ctx.jobSignals.available();
      }
      const earliest = await earliestLeaseExpiry(ctx);
      if (earliest) next = Math.min(next, earliest.getTime() + MARGIN_MS);
    } catch (error) {
      if (!stopped) logger.error({ err: error }, 'lease watch failed; trying again shortly');
    }
    armAt(next);
  }

  function tick(): void {
    timer = undefined;
    due = Number.POSITIVE_INFINITY;
    // One reap at a time; a lease granted meanwhile may predate the rescan's snapshot, so go again.
    if (running) {
      again = true;
      return;
    }
    running = reapAndRearm().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        armAt(Date.now());
      }
    });
  }

  const unsubscribe = ctx.jobSignals.onLeased((expiresAt) => armAt(expiresAt.getTime() + MARGIN_MS));
  // Start-up: leases may have run out while no origin was watching.
  armAt(Date.now());

  return {
    async stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
