import { Agent, request } from 'undici';

export interface LatencySummary {
  sent: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Requests answered per second over the run. */
  achievedRps: number;
}

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/**
 * Open-loop load: one request every 1/rps seconds whatever the answers do, for `durationMs`.
 * Latency is measured from when the request was due, not when it was sent, so a stalled server
 * is not hidden by the generator waiting for it (coordinated omission). Bounded: in-flight
 * requests are capped at `maxInFlight`; a request that could not go out counts as an error.
 */
export async function fixedRate(
  urls: readonly string[],
  rps: number,
  durationMs: number,
  maxInFlight = 500,
): Promise<LatencySummary> {
  const agent = new Agent({ connections: 64, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let inFlight = 0;
  const started = performance.now();
  const total = Math.floor((rps * durationMs) / 1000);
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rps;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight >= maxInFlight) {
      errors++;
      continue;
    }
    inFlight++;
    const url = urls[i % urls.length] as string;
    pending.push(
      request(url, { dispatcher: agent })
        .then(async (res) => {
          await res.body.dump();
          if (res.statusCode !== 200) errors++;
          else latencies.push(performance.now() - due);
        })
        .catch(() => {
          errors++;
        })
        .finally(() => {
          inFlight--;
        }),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  await agent.close();
  latencies.sort((a, b) => a - b);
  return {
    sent: total,
    errors,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    max: latencies.at(-1) ?? Number.NaN,
    achievedRps: latencies.length / elapsed,
  };
}

/** Closed-loop peak: `concurrency` keep-alive clients as fast as answers come, for `durationMs`. */
export async function peak(
  urls: readonly string[],
  concurrency: number,
  durationMs: number,
): Promise<{ requests: number; rps: number; errors: number }> {
  const agent = new Agent({ connections: concurrency, pipelining: 1 });
  const deadline = performance.now() + durationMs;
  let requests = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      let i = client;
      while (performance.now() < deadline) {
        const url = urls[i++ % urls.length] as string;
        try {
          const res = await request(url, { dispatcher: agent });
          await res.body.dump();
          if (res.statusCode === 200) requests++;
          else errors++;
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await agent.close();
  return { requests, rps: requests / elapsed, errors };
}
