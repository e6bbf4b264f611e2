/**
 * bench/edge: what signing costs at the edge, measured in one run against real workerd.
 *   (a) signed segment requests through /play/<token>/... (verify + cache + serve)
 *   (b) the same worker serving the same bytes with no verification (/bench-raw/...): a/b >= 0.9
 *   (c) a manifest burst: N viewers of one cold video at once -> fetches reaching the origin
 *   (d) the cost of verifying one playback token, in microseconds
 * Run: npx tsx bench/edge/run.ts [--seconds 4] [--concurrency 16] [--viewers 200]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mintPlaybackToken, parsePlaybackKeys, verifyPlaybackToken } from '../../edge/src/playback/token.js';
import { wranglerBin } from '../../scripts/wrangler-bin.js';
import { startBenchOrigin } from './fixture.js';
import { freePort, loadTest, median, waitForUrl } from './load.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '16' },
    viewers: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
  },
});
const SECONDS = Number(args.seconds);
const CONCURRENCY = Number(args.concurrency);
const VIEWERS = Number(args.viewers);
const ROUNDS = Number(args.rounds);
const PLAYBACK_KEYS = `bench:${randomBytes(32).toString('base64url')}`;
const root = path.resolve(import.meta.dirname, '../..');

// A real origin with two published videos: one for throughput, one kept cold for the burst.
const { originUrl, segment, publishedVideo, mediaFetches, close: closeOrigin } = await startBenchOrigin();
const hot = await publishedVideo('hot');
const cold = await publishedVideo('cold');

// The edge under wrangler dev, i.e. real workerd, with the unverified twin route switched on.
const edgePort = await freePort();
const wrangler = wranglerBin();
const vars = {
  ORIGINS: originUrl,
  INTERNAL_API_TOKEN: 'test-internal-token-0123456789',
  PLAYBACK_KEYS,
  BENCH_UNVERIFIED_ROUTES: 'true',
  RATE_LIMIT_PLAYBACK: '1000000/60',
};
const edge: ChildProcess = spawn(
  process.execPath,
  [
    wrangler,
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(edgePort),
    '--log-level',
    'error',
    '--show-interactive-dev-session=false',
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
  ],
  { cwd: root, stdio: 'ignore', env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' } },
);
const edgeUrl = `http://127.0.0.1:${edgePort}`;
try {
  await waitForUrl(`${edgeUrl}/edge/healthz`, 90_000);
  const issue = async (id: string) => {
    const res = await fetch(`${edgeUrl}/api/v1/videos/${id}/playback`, { method: 'POST' });
    if (!res.ok) throw new Error(`playback issuance failed: ${res.status} ${await res.text()}`);
    return (await res.json()).hls as string;
  };
  const signedSegment = (await issue(hot)).replace(/master\.m3u8$/, '720p/seg_00001.m4s');
  const rawSegment = `${edgeUrl}/bench-raw/${hot}/1/720p/seg_00001.m4s`;
  for (const url of [signedSegment, rawSegment]) {
    const warm = await fetch(url);
    if (warm.status !== 200 || (await warm.arrayBuffer()).byteLength !== segment.length)
      throw new Error(`warm-up failed for ${url}`);
  }

  // (a) and (b), interleaved over several rounds so drift hits both alike.
  const signedRps: number[] = [];
  const rawRps: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    signedRps.push((await loadTest(signedSegment, CONCURRENCY, SECONDS * 1000)).rps);
    rawRps.push((await loadTest(rawSegment, CONCURRENCY, SECONDS * 1000)).rps);
  }

  // (c) N viewers, each with a token of their own, open one cold video at the same moment.
  const tokens = await Promise.all(Array.from({ length: VIEWERS }, () => issue(cold)));
  const before = mediaFetches();
  const responses = await Promise.all(
    tokens.flatMap((hls) => [fetch(hls), fetch(hls.replace(/master\.m3u8$/, '720p/index.m3u8'))]),
  );
  const ok = responses.filter((r) => r.status === 200).length;
  await Promise.all(responses.map((r) => r.arrayBuffer()));
  const burstFetches = mediaFetches() - before;

  // (d) token verification cost, with the same code the worker runs (WebCrypto HMAC via jose).
  const ring = await parsePlaybackKeys(PLAYBACK_KEYS);
  const token = await mintPlaybackToken(ring, {
    videoId: hot,
    audience: 'hls',
    version: 1,
    revocation: 0,
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
  });
  for (let i = 0; i < 2000; i++) await verifyPlaybackToken(ring, token, {});
  const iterations = 20_000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await verifyPlaybackToken(ring, token, {});
  const verifyMicros = Number(process.hrtime.bigint() - started) / 1000 / iterations;

  const a = median(signedRps);
  const b = median(rawRps);
  const results = {
    concurrency: CONCURRENCY,
    seconds: SECONDS,
    rounds: ROUNDS,
    segmentBytes: segment.length,
    signedRps: Math.round(a),
    unverifiedRps: Math.round(b),
    ratioAB: Number((a / b).toFixed(3)),
    burstViewers: VIEWERS,
    burstResponsesOk: ok,
    burstOriginFetches: burstFetches,
    burstPlaylists: 2,
    verifyMicros: Number(verifyMicros.toFixed(1)),
  };
  console.log(`
bench/edge (wrangler dev / workerd, ${CONCURRENCY} concurrent clients, ${SECONDS}s x ${ROUNDS} rounds, ${segment.length / 1024} KiB segment)
  (a) signed segment requests      ${results.signedRps} req/s   (rounds: ${signedRps.map(Math.round).join(', ')})
  (b) same bytes, no verification  ${results.unverifiedRps} req/s   (rounds: ${rawRps.map(Math.round).join(', ')})
      a/b = ${results.ratioAB}  (goal >= 0.9)
  (c) burst of ${VIEWERS} viewers x 2 playlists: ${ok}/${VIEWERS * 2} answered 200, ${burstFetches} fetches reached the origin (goal: 1 per playlist = 2)
  (d) verify one playback token: ${results.verifyMicros} us (Node WebCrypto, same code as the worker)
`);
  console.log(JSON.stringify({ bench: 'edge', ...results }));
} finally {
  edge.kill('SIGTERM');
  await closeOrigin();
}
process.exit(0);
