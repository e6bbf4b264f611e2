/**
 * bench/api/peertube: `GET /api/v1/videos/{uuid}` (the PeerTube client's video JSON) at 10k videos,
 * through the edge, against the same request straight to the origin, in one run (issue 15).
 *   1. a fresh database (on DATABASE_URL_TEST's server) is migrated and seeded (seed.ts: 10k videos,
 *      100k comments), and every video gets a two-rendition ladder, so the edge signs streams;
 *   2. the origin (`origin/src/main.ts`) and the edge as `npm run edge` runs it (workerd serve) start;
 *   3. both take the same open-loop fixed rate over 20 public videos, interleaved origin, edge, ...
 * It prints p50/p95/p99 of each and the edge's added p95. Target: edge p95 < 50 ms.
 * Run: npx tsx bench/api/peertube.ts [--seconds 8] [--rate 100] [--rounds 2]
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../db/client.js';
import { freePort, waitForUrl } from '../edge/load.js';
import { benchHarness } from '../support/harness.js';
import { fixedRate, type LatencySummary } from './load.js';
import { seed } from './seed.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    rate: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '2' },
    'max-minutes': { type: 'string', default: '10' },
  },
});
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const ROUNDS = Number(args.rounds);
const TARGET_P95_MS = 50;
const INTERNAL_API_TOKEN = `bench-${randomBytes(16).toString('hex')}`;
const bench = benchHarness('pt', Number(args['max-minutes']));
const { dbUrl, workDir, start } = bench;

const row = (name: string, r: LatencySummary) =>
  `${name.padEnd(8)} p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ${Math.round(r.achievedRps)} req/s  errors ${r.errors}`;

try {
  await bench.createDatabase();
  const handle = openDatabase({ url: dbUrl });
  await handle.migrate();
  const t0 = performance.now();
  const fixture = await seed(handle.db);
  await handle.db.execute(sql`
    insert into renditions (video_id, width, height, bitrate, codecs, playlist_key)
    select v.id, r.w, r.h, r.b, 'avc1.64001f,mp4a.40.2', 'hls/' || r.h || 'p/index.m3u8'
    from videos v cross join (values (640, 360, 800000), (1280, 720, 2500000)) as r(w, h, b)`);
  await handle.db.execute(sql`analyze`);
  console.log(
    `seeded ${fixture.videos} videos with two renditions each in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const page = fixture.endpoints.find((e) => e.name === 'video page');
  if (!page) throw new Error('seed.ts lists no video page endpoint');
  await handle.close();

  const originPort = await freePort();
  const edgePort = await freePort();
  start(['--import', 'tsx', 'origin/src/main.ts'], {
    DATABASE_URL: dbUrl,
    DATA_DIR: workDir,
    PORT: String(originPort),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    INTERNAL_API_TOKEN,
  });
  const originUrl = `http://127.0.0.1:${originPort}`;
  await waitForUrl(`${originUrl}/healthz`, 60_000);
  start(['--import', 'tsx', 'scripts/edge/main.ts'], {
    EDGE_PORT: String(edgePort),
    ORIGINS: originUrl,
    INTERNAL_API_TOKEN,
    PLAYBACK_KEYS: `bench:${randomBytes(32).toString('base64url')}`,
    RATE_LIMIT_AUTH: '1000000/60',
    RATE_LIMIT_WRITE: '1000000/60',
    RATE_LIMIT_PLAYBACK: '1000000/60',
    EDGE_BUILD_DIR: path.join(workDir, 'edge-build'),
  });
  const edgeUrl = `http://127.0.0.1:${edgePort}`;
  await waitForUrl(`${edgeUrl}/edge/healthz`, 120_000);

  const urls = (server: string) => page.paths.map((p) => `${server}${p}`);
  const sample = await (await fetch(urls(edgeUrl)[0] as string)).json();
  const signed = sample.streamingPlaylists?.[0]?.playlistUrl as string | undefined;
  if (!signed?.includes('/play/'))
    throw new Error(`the edge signed no streams: ${JSON.stringify(sample).slice(0, 300)}`);
  // Warm both: JIT, pools, PostgreSQL's buffers, the edge's policy cache.
  for (const server of [originUrl, edgeUrl]) await fixedRate(urls(server), RATE, 2000);
  const results: Record<'origin' | 'edge', LatencySummary[]> = { origin: [], edge: [] };
  for (let round = 0; round < ROUNDS; round++) {
    results.origin.push(await fixedRate(urls(originUrl), RATE, SECONDS * 1000));
    results.edge.push(await fixedRate(urls(edgeUrl), RATE, SECONDS * 1000));
  }
  // The worse round of each: a bench should not report its luckiest run.
  const worst = (list: LatencySummary[]) => list.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  const origin = worst(results.origin);
  const edge = worst(results.edge);
  console.log(`
bench/api/peertube: GET /api/v1/videos/{uuid}, ${fixture.videos} videos, ${RATE} req/s x ${SECONDS}s x ${ROUNDS} rounds (worst round shown)
${row('origin', origin)}
${row('edge', edge)}
edge/origin p95 ratio ${(edge.p95 / origin.p95).toFixed(2)}; edge adds ${(edge.p95 - origin.p95).toFixed(1)} ms at p95
target: edge p95 < ${TARGET_P95_MS} ms: ${edge.p95 < TARGET_P95_MS && edge.errors === 0 ? 'met' : 'MISSED'}`);
  console.log(JSON.stringify({ bench: 'api/peertube', rate: RATE, origin, edge }));
} finally {
  await bench.finish();
}
