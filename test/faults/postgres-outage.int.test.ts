/**
 * Fault: PostgreSQL stops for 5 s under load, then comes back (issue 16, database). The origin
 * runs as its own process (`npm run origin`) on a cluster of this test's own.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/edge/load.js';
import { killGroup, spawnTier, waitFor } from '../support/stack.js';
import { type PostgresCluster, startPostgresCluster } from './postgres-cluster.js';

interface Sample {
  path: string;
  started: number;
  ms: number;
  status: number;
  retryAfter: string | null;
  code?: string;
}

let pg: PostgresCluster;
let origin: ReturnType<typeof spawnTier>;
let url: string;
const dataDir = mkdtempSync(path.join(tmpdir(), 'vidra-fault-origin-'));
// A parameter of the queries the load runs: it must never show in a log line.
const secretId = randomUUID();

async function sample(route: string): Promise<Sample> {
  const started = Date.now();
  try {
    const res = await fetch(`${url}${route}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
    return {
      path: route,
      started,
      ms: Date.now() - started,
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      ...(body.error?.code ? { code: body.error.code } : {}),
    };
  } catch {
    return { path: route, started, ms: Date.now() - started, status: 0, retryAfter: null };
  }
}

/** `workers` closed loops on `route` until `stop()`; every answer recorded. */
function load(route: string, workers: number, pauseMs = 0) {
  const samples: Sample[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      samples.push(await sample(route));
      if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  });
  return {
    samples,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

beforeAll(async () => {
  pg = await startPostgresCluster();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  origin = spawnTier(['node', '--import', 'tsx', 'origin/src/main.ts'], {
    DATABASE_URL: pg.url,
    DATA_DIR: dataDir,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    INTERNAL_ADDRESSES: '127.0.0.1',
  });
  await waitFor(
    async () => ((await fetch(`${url}/readyz`).catch(() => undefined))?.ok ? true : undefined),
    60_000,
    () => origin.output(),
  );
}, 90_000);

afterAll(async () => {
  if (origin) await killGroup(origin.child);
  await pg?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('PostgreSQL outage', () => {
  it('answers 503 unavailable with Retry-After within 2 s, recovers within 2 s, readyz within 1 s', async () => {
    const reads = load(`/api/v1/videos/${secretId}`, 6);
    const lists = load('/api/v1/videos', 2);
    const probes = load('/readyz', 1, 200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const stopAt = Date.now();
    await pg.stop();
    const stoppedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const startingAt = Date.now();
    await pg.start();
    const upAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await Promise.all([reads.stop(), lists.stop(), probes.stop()]);

    const api = [...reads.samples, ...lists.samples];
    const before = api.filter((s) => s.started + s.ms < stopAt);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((s) => s.status === 404 || s.status === 200)).toBe(true);

    // During the outage every request gets its answer fast, and the answer is a retryable 503.
    const during = api.filter((s) => s.started >= stoppedAt && s.started + s.ms < startingAt);
    expect(during.length).toBeGreaterThan(20);
    const slowest = Math.max(...during.map((s) => s.ms));
    expect(slowest, 'slowest answer during the outage (ms)').toBeLessThan(2000);
    const failures = during.filter((s) => s.status !== 503 || s.code !== 'unavailable' || !s.retryAfter);
    expect(failures, 'answers during the outage other than 503 unavailable + Retry-After').toEqual([]);

    // Back within 2 s: every request started 2 s after PostgreSQL accepted connections again succeeds.
    const after = api.filter((s) => s.started >= upAt + 2000);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((s) => s.status !== 404 && s.status !== 200)).toEqual([]);
    const firstOk = api.find((s) => s.started >= upAt && (s.status === 404 || s.status === 200));
    console.log(
      `postgres outage: ${during.length} answers during it, slowest ${slowest} ms; first success ${
        firstOk ? firstOk.started + firstOk.ms - upAt : 'none'
      } ms after PostgreSQL was back`,
    );

    // Readiness always answers within 1 s: 503 while down, 200 before and after.
    expect(probes.samples.length).toBeGreaterThan(20);
    expect(Math.max(...probes.samples.map((s) => s.ms)), 'slowest /readyz (ms)').toBeLessThan(1000);
    expect(probes.samples.some((s) => s.status === 503)).toBe(true);
    expect(probes.samples.at(-1)?.status).toBe(200);

    // The outage was logged, and never with the queries' parameters.
    expect(origin.output()).toContain('database unavailable');
    expect(origin.output()).toContain('Failed query: select');
    const leaks = origin
      .output()
      .split('\n')
      // The access log names the path, which holds the id; error lines must not repeat it as a value.
      .filter((line) => line.includes('"err"') && line.includes(secretId));
    expect(leaks, 'log lines carrying a query parameter').toEqual([]);
  }, 60_000);
});
