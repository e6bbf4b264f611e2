import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ReadRouting } from '../../../db/replica.js';
import { JOB_KINDS } from '../../../protocol/runner.js';
import { JOB_METRIC_STATES, type JobStats } from '../services/jobs/stats.js';

/** Prometheus metrics for one app instance. A registry per app keeps parallel tests apart. */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
}

export function createMetrics(options: { collectDefaults: boolean }): Metrics {
  const registry = new Registry();
  if (options.collectDefaults) collectDefaultMetrics({ register: registry, prefix: 'vidra_origin_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'vidra_http_requests_total',
      help: 'HTTP requests answered, by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'vidra_http_request_duration_seconds',
      help: 'HTTP request latency, by route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

/** The read replica's replay lag and whether reads go to it, read at scrape time. */
export function registerReplicaMetrics(metrics: Metrics, reads: ReadRouting): void {
  new Gauge({
    name: 'vidra_db_replica_lag_seconds',
    help: 'Replay lag of DATABASE_REPLICA_URL behind the primary, at the last check (-1: unreachable)',
    registers: [metrics.registry],
    collect() {
      this.set(reads.lagSeconds() ?? -1);
    },
  });
  new Gauge({
    name: 'vidra_db_replica_reads',
    help: '1 while lag-tolerant reads go to the replica, 0 while they fall back to the primary',
    registers: [metrics.registry],
    collect() {
      this.set(reads.usingReplica() ? 1 : 0);
    },
  });
}

/**
 * `vidra_jobs{kind,state}` (every kind and state, zeros included, so a drained queue reads 0 rather
 * than vanishing) and `vidra_jobs_oldest_queued_age_seconds{kind}`, read from the database at scrape
 * time. The transcoder HPA scales on `vidra_jobs{state="queued"}` (k8s/base/hpa.yaml).
 */
export function registerJobMetrics(metrics: Metrics, stats: () => Promise<JobStats>): void {
  if (metrics.registry.getSingleMetric('vidra_jobs')) return;
  let latest: Promise<JobStats> | undefined;
  // Both gauges collect in one scrape: one query pair serves them.
  const load = () => {
    latest ??= stats().finally(() => setTimeout(() => (latest = undefined), 0));
    return latest;
  };
  new Gauge({
    name: 'vidra_jobs',
    help: 'Jobs in the queue table, by kind and state (queued = pending, running = leased)',
    labelNames: ['kind', 'state'],
    registers: [metrics.registry],
    async collect() {
      const { counts } = await load();
      for (const kind of Object.values(JOB_KINDS))
        for (const state of Object.values(JOB_METRIC_STATES)) this.set({ kind, state }, 0);
      for (const row of counts) this.set({ kind: row.kind, state: row.state }, row.n);
    },
  });
  new Gauge({
    name: 'vidra_jobs_oldest_queued_age_seconds',
    help: 'Age of the oldest queued job, by kind (0 when none is queued)',
    labelNames: ['kind'],
    registers: [metrics.registry],
    async collect() {
      const { oldestQueuedSeconds } = await load();
      for (const kind of Object.values(JOB_KINDS)) this.set({ kind }, 0);
      for (const row of oldestQueuedSeconds) this.set({ kind: row.kind }, row.seconds);
    },
  });
}
