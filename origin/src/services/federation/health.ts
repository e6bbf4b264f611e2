import { sql } from 'drizzle-orm';
import type { FederationHealth } from '../../../../protocol/api/federation.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { ForbiddenError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { rowsOf } from '../notifications/deliver.js';
import { hostStatus } from './retry.js';

/** Queue depth and delivery health per remote host, busiest first. Admins only. */
export async function federationHealth(ctx: ServiceContext, viewer: Viewer): Promise<FederationHealth> {
  if (viewer.role !== 'admin') throw new ForbiddenError('Only an admin can see federation health');
  const hosts = rowsOf<Record<string, unknown>>(
    await ctx.db.execute(sql`
      select host,
        count(*) filter (where state = 'pending') as pending,
        count(*) filter (where state = 'pending' and attempts > 0) as retrying,
        coalesce(max(attempts) filter (where state = 'pending'), 0) as max_attempts,
        min(created_at) filter (where state = 'pending') as oldest_pending_at,
        count(*) filter (where state = 'delivered') as delivered,
        count(*) filter (where state = 'failed') as failed,
        count(*) filter (where state = 'gone') as gone,
        (array_agg(last_error order by next_attempt_at desc) filter (where last_error is not null))[1] as last_error,
        min(next_attempt_at) filter (where state = 'pending') as next_attempt_at
      from federation_deliveries group by host
      order by count(*) filter (where state = 'pending') desc, host limit 200`),
  ).map((r) => ({
    host: String(r.host),
    status: hostStatus({ retrying: Number(r.retrying), maxAttempts: Number(r.max_attempts) }),
    pending: Number(r.pending),
    retrying: Number(r.retrying),
    delivered: Number(r.delivered),
    failed: Number(r.failed),
    gone: Number(r.gone),
    lastError: (r.last_error as string | null) ?? null,
    nextAttemptAt: r.next_attempt_at ? new Date(r.next_attempt_at as string).toISOString() : null,
    oldestPendingAt: r.oldest_pending_at ? new Date(r.oldest_pending_at as string).toISOString() : null,
  }));
  const [queue] = rowsOf<Record<string, unknown>>(
    await ctx.db.execute(sql`select count(*) filter (where run_at <= now()) as ready,
      count(*) filter (where run_at > now()) as delayed from federation_queue`),
  );
  return {
    queue: { ready: Number(queue?.ready ?? 0), delayed: Number(queue?.delayed ?? 0) },
    pending: hosts.reduce((n, h) => n + h.pending, 0),
    hosts,
  };
}
