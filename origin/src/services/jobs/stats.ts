import { count, eq, min, sql } from 'drizzle-orm';
import { jobs } from '../../../../db/schema/index.js';
import type { ServiceContext } from '../context.js';

/** Job states as operators (and autoscalers: `vidra_jobs{state="queued"}`) name them. */
export const JOB_METRIC_STATES = {
  pending: 'queued',
  leased: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;

export interface JobStats {
  counts: Array<{
    kind: string;
    state: (typeof JOB_METRIC_STATES)[keyof typeof JOB_METRIC_STATES];
    n: number;
  }>;
  /** Age in seconds of the oldest queued job of each kind that has one. */
  oldestQueuedSeconds: Array<{ kind: string; seconds: number }>;
}

/** The jobs table's counts by kind and state, straight from the primary (the queue's truth). */
export async function jobStats(ctx: ServiceContext): Promise<JobStats> {
  const [rows, oldest] = await Promise.all([
    ctx.db
      .select({ kind: jobs.kind, state: jobs.state, n: count() })
      .from(jobs)
      .groupBy(jobs.kind, jobs.state),
    ctx.db
      .select({
        kind: jobs.kind,
        seconds: sql<number>`extract(epoch from now() - ${min(jobs.createdAt)})::float8`,
      })
      .from(jobs)
      .where(eq(jobs.state, 'pending'))
      .groupBy(jobs.kind),
  ]);
  return {
    counts: rows.map((r) => ({ kind: r.kind, state: JOB_METRIC_STATES[r.state], n: Number(r.n) })),
    oldestQueuedSeconds: oldest.map((r) => ({ kind: r.kind, seconds: Number(r.seconds) })),
  };
}
