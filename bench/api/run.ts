/**
 * bench/api: the origin's read API against bare Hono + postgres.js running the same SQL, in one
 * run, on the real PostgreSQL, with 10k videos and 100k comments.
 *   1. a fresh database (on DATABASE_URL_TEST's server) is migrated and seeded (seed.ts);
 *   2. each measured request is run once through the origin's app with drizzle's logger on, which
 *      records the statements it executes; that list is the bare server's plan (bare.ts);
 *   3. the real origin (`origin/src/main.ts`, LOG_LEVEL=warn) and the bare server run as separate
 *      processes; for each endpoint, both take a closed-loop peak (50 clients) and an open-loop
 *      fixed rate (300 req/s), interleaved origin, bare, origin, bare ...
 * It prints peak throughput, p50/p99 at the fixed rate, and the ratio origin/bare of the peaks.
 * Targets (issue 13): ratio >= 0.80, p99 <= 20 ms at the fixed rate.
 * Run: npx tsx bench/api/run.ts [--seconds 8] [--rate 300] [--concurrency 50] [--max-minutes 10]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { openDatabase } from '../../db/client.js';
import { createApp } from '../../origin/src/app.js';
import { configFromEnv } from '../../origin/src/config.js';
import { parseOriginEnv } from '../../origin/src/env.js';
import { createLogger } from '../../origin/src/lib/logger.js';
import { createLocalStorage } from '../../origin/src/storage/local.js';
import { freePort, waitForUrl } from '../edge/load.js';
import { benchHarness } from '../support/harness.js';
import { fixedRate, peak } from './load.js';
import { seed } from './seed.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    rate: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '50' },
    'max-minutes': { type: 'string', default: '10' },
    /** Print EXPLAIN ANALYZE of every statement of each endpoint's first path, then stop. */
    explain: { type: 'boolean', default: false },
  },
});
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const CONCURRENCY = Number(args.concurrency);
/** Thrown to stop after `--explain`: cleanup runs, nothing is measured. */
class Explained extends Error {}
const bench = benchHarness('api', Number(args['max-minutes']));
const { dbUrl, workDir, start } = bench;

try {
  await bench.createDatabase();
  const recorded: { query: string; params: unknown[] }[] = [];
  let recording = false;
  const handle = openDatabase({
    url: dbUrl,
    logQuery: (query, params) => {
      if (recording) recorded.push({ query, params });
    },
  });
  await handle.migrate();
  const t0 = performance.now();
  const fixture = await seed(handle.db);
  console.log(
    `seeded ${fixture.videos} videos and ${fixture.comments} comments in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const env = parseOriginEnv({ DATABASE_URL: dbUrl, DATA_DIR: workDir, LOG_LEVEL: 'warn' });
  const { app } = createApp({
    db: handle.db,
    logger: createLogger('warn'),
    config: configFromEnv(env),
    storage: createLocalStorage({ root: path.join(workDir, 'storage') }),
    uploadStagingDir: path.join(workDir, 'uploads'),
  });
  const routes: Record<string, { query: string; params: unknown[] }[]> = {};
  for (const endpoint of fixture.endpoints) {
    for (const url of endpoint.paths) {
      recorded.length = 0;
      recording = true;
      const res = await app.request(url);
      recording = false;
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
      routes[url] = [...recorded];
    }
  }
  await handle.close();
  if (args.explain) {
    const client = postgres(dbUrl, { max: 1, onnotice: () => {} });
    for (const endpoint of fixture.endpoints) {
      for (const { query, params } of routes[endpoint.paths[0] as string] ?? []) {
        const plan = await client.unsafe(`explain (analyze, buffers off) ${query}`, params as never[]);
        const lines = plan.map((row) => String(row['QUERY PLAN']));
        console.log(
          `\n## ${endpoint.name}: ${lines.at(-1)}\n${query.slice(0, 300)}\n${lines.slice(0, 12).join('\n')}`,
        );
      }
    }
    await client.end();
    throw new Explained();
  }
  const planFile = path.join(workDir, 'plan.json');
  writeFileSync(planFile, JSON.stringify({ databaseUrl: dbUrl, routes }));

  const originPort = await freePort();
  const barePort = await freePort();
  start(['--import', 'tsx', 'origin/src/main.ts'], {
    DATABASE_URL: dbUrl,
    DATA_DIR: workDir,
    PORT: String(originPort),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  });
  start(['--import', 'tsx', 'bench/api/bare.ts', planFile, String(barePort)], {});
  const servers = { origin: `http://127.0.0.1:${originPort}`, bare: `http://127.0.0.1:${barePort}` };
  await waitForUrl(`${servers.origin}/healthz`, 60_000);
  await waitForUrl(`${servers.bare}${fixture.endpoints[0]?.paths[0]}`, 30_000);

  const rows: Record<string, string | number>[] = [];
  for (const endpoint of fixture.endpoints) {
    const urls = (server: string) => endpoint.paths.map((p) => `${server}${p}`);
    // Warm both: JIT, connection pools, PostgreSQL's buffers.
    for (const server of Object.values(servers)) await peak(urls(server), 10, 1500);
    const origin = await peak(urls(servers.origin), CONCURRENCY, SECONDS * 1000);
    const bare = await peak(urls(servers.bare), CONCURRENCY, SECONDS * 1000);
    const originRate = await fixedRate(urls(servers.origin), RATE, SECONDS * 1000);
    const bareRate = await fixedRate(urls(servers.bare), RATE, SECONDS * 1000);
    rows.push({
      endpoint: endpoint.name,
      'origin req/s': Math.round(origin.rps),
      'bare req/s': Math.round(bare.rps),
      ratio: Number((origin.rps / bare.rps).toFixed(2)),
      [`origin p50/p99 ms @${RATE}`]: `${originRate.p50.toFixed(1)} / ${originRate.p99.toFixed(1)}`,
      [`bare p50/p99 ms @${RATE}`]: `${bareRate.p50.toFixed(1)} / ${bareRate.p99.toFixed(1)}`,
      errors: origin.errors + bare.errors + originRate.errors + bareRate.errors,
      statements: routes[endpoint.paths[0] as string]?.length ?? 0,
    });
    console.log(JSON.stringify(rows.at(-1)));
  }
  console.table(rows);
  const worstRatio = Math.min(...rows.map((r) => r.ratio as number));
  const worstP99 = Math.max(
    ...rows.map((r) => Number(String(r[`origin p50/p99 ms @${RATE}`]).split(' / ')[1])),
  );
  console.log(
    `targets: throughput ratio >= 0.80 (worst ${worstRatio}), p99 <= 20 ms at ${RATE} req/s (worst ${worstP99} ms)`,
  );
  console.log(JSON.stringify({ bench: 'api', rate: RATE, concurrency: CONCURRENCY, rows }));
} catch (error) {
  if (!(error instanceof Explained)) throw error;
} finally {
  await bench.finish();
}
