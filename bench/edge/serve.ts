/**
 * bench/edge/serve.ts: the edge under `workerd serve` (the production runtime, `npm run edge`)
 * against nginx serving the same bytes from disk on the same machine, in one run (issue 16).
 * Targets under workerd: >= 5% of nginx's request rate on playlists, >= 25% of its bytes/s on
 * segments, 0 errors at 500 concurrent viewers.
 * Run: npx tsx bench/edge/serve.ts [--seconds 5] [--viewers 500] [--segment-viewers 200]
 * The load generator is wrk when installed (`apt-get install wrk`), else undici in this process; it
 * shares the 2 cores with both servers either way, so nginx's figures are a floor of what it can do.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startBenchOrigin } from './fixture.js';
import { freePort, loadTest, spawnServedEdge, waitForUrl, wrkTest } from './load.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    viewers: { type: 'string', default: '500' },
    'segment-viewers': { type: 'string', default: '200' },
  },
});
const SECONDS = Number(args.seconds);
const VIEWERS = Number(args.viewers);
const SEGMENT_VIEWERS = Number(args['segment-viewers']);
const dir = mkdtempSync(path.join(tmpdir(), 'vidra-bench-serve-'));
const children: ChildProcess[] = [];

/** wrk when installed (native, so the generator is not the bottleneck), else the undici one. */
async function measure(url: string, concurrency: number, bytesEach: number) {
  try {
    const wrk = await wrkTest(url, concurrency, SECONDS * 1000);
    if (wrk) {
      const error = wrk.errors ? `${wrk.errors} errors` : undefined;
      return { rps: wrk.rps, mbps: (wrk.rps * bytesEach) / 1e6, requests: wrk.requests, error };
    }
    const { rps, requests } = await loadTest(url, concurrency, SECONDS * 1000);
    return { rps, mbps: (rps * bytesEach) / 1e6, requests, error: undefined as string | undefined };
  } catch (error) {
    return { rps: 0, mbps: 0, requests: 0, error: String(error) };
  }
}

const origin = await startBenchOrigin();
try {
  const videoId = await origin.publishedVideo('served');
  // The edge as `npm run edge` runs it: bundled, under workerd serve.
  const { url: edgeUrl, child: edge } = await spawnServedEdge(
    {
      ORIGINS: origin.originUrl,
      INTERNAL_API_TOKEN: 'test-internal-token-0123456789',
      PLAYBACK_KEYS: `bench:${randomBytes(32).toString('base64url')}`,
      RATE_LIMIT_PLAYBACK: '1000000/60',
    },
    path.join(dir, 'edge-build'),
  );
  children.push(edge);
  await waitForUrl(`${edgeUrl}/edge/healthz`, 120_000);
  const issued = await fetch(`${edgeUrl}/api/v1/videos/${videoId}/playback`, { method: 'POST' });
  if (!issued.ok) throw new Error(`playback issuance failed: ${issued.status} ${await issued.text()}`);
  const master = (await issued.json()).hls as string;
  const playlistUrl = master.replace(/master\.m3u8$/, '720p/index.m3u8');
  const segmentUrl = master.replace(/master\.m3u8$/, '720p/seg_00001.m4s');
  const playlist = Buffer.from(await (await fetch(playlistUrl)).arrayBuffer());
  const segment = Buffer.from(await (await fetch(segmentUrl)).arrayBuffer());
  if (segment.length !== origin.segment.length) throw new Error('the edge did not serve the segment');

  // nginx, serving the very bytes the edge answered, from disk.
  const www = path.join(dir, 'www');
  mkdirSync(path.join(www, '720p'), { recursive: true });
  writeFileSync(path.join(www, '720p/index.m3u8'), playlist);
  writeFileSync(path.join(www, '720p/seg_00001.m4s'), segment);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chmodSync(dir, 0o755);
  const nginxPort = await freePort();
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `${asRoot ? 'user root;\n' : ''}worker_processes auto;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  types { application/vnd.apple.mpegurl m3u8; video/iso.segment m4s; }
  server { listen 127.0.0.1:${nginxPort}; root ${www}; }
}
`,
  );
  const nginx = spawn(
    'nginx',
    ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log'), '-g', 'daemon off;'],
    { stdio: 'ignore' },
  );
  children.push(nginx);
  const nginxUrl = `http://127.0.0.1:${nginxPort}`;
  await waitForUrl(`${nginxUrl}/720p/index.m3u8`, 10_000);

  // Where an edge request's time goes: the runtime, the front worker and the router alone (the
  // health check) against the whole signed path (/play/: token, revocations, cache, headers).
  // (`npm run edge` never passes BENCH_UNVERIFIED_ROUTES, so the /bench-raw/ twin is not here.)
  const ladder = { health: await measure(`${edgeUrl}/edge/healthz`, VIEWERS, 0) };
  const results = {
    nginxPlaylists: await measure(`${nginxUrl}/720p/index.m3u8`, VIEWERS, playlist.length),
    edgePlaylists: await measure(playlistUrl, VIEWERS, playlist.length),
    nginxSegments: await measure(`${nginxUrl}/720p/seg_00001.m4s`, SEGMENT_VIEWERS, segment.length),
    edgeSegments: await measure(segmentUrl, SEGMENT_VIEWERS, segment.length),
  };
  const playlistRatio = results.edgePlaylists.rps / results.nginxPlaylists.rps;
  const segmentRatio = results.edgeSegments.mbps / results.nginxSegments.mbps;
  const errors = [results.edgePlaylists.error, results.edgeSegments.error].filter(Boolean);
  const line = (name: string, r: (typeof results)['edgePlaylists']) =>
    `  ${name.padEnd(30)} ${Math.round(r.rps)} req/s, ${r.mbps.toFixed(1)} MB/s${r.error ? `  ERROR: ${r.error}` : ''}`;
  console.log(`
bench/edge/serve (workerd serve vs nginx from disk, ${SECONDS}s each, ${VIEWERS} playlist viewers, ${SEGMENT_VIEWERS} segment viewers, ${segment.length / 1024} KiB segment)
${line('nginx playlists', results.nginxPlaylists)}
${line('edge (workerd) playlists', results.edgePlaylists)}
      edge/nginx requests = ${(playlistRatio * 100).toFixed(1)}%  (target >= 5%: ${playlistRatio >= 0.05 ? 'met' : 'MISSED'})
${line('nginx segments', results.nginxSegments)}
${line('edge (workerd) segments', results.edgeSegments)}
      edge/nginx bytes = ${(segmentRatio * 100).toFixed(1)}%  (target >= 25%: ${segmentRatio >= 0.25 ? 'met' : 'MISSED'})
  cost ladder, ${VIEWERS} connections (microseconds of edge time per request, on 2 shared cores):
${line('edge /edge/healthz', ladder.health)}  ~${(1e6 / ladder.health.rps).toFixed(0)} us
${line('edge /play/ playlist', results.edgePlaylists)}  ~${(1e6 / results.edgePlaylists.rps).toFixed(0)} us
  edge errors at ${VIEWERS} viewers: ${errors.length ? errors.join('; ') : 0}  (target 0)
`);
} finally {
  // The edge launcher runs workerd in its own process group; nginx's master takes its workers down.
  for (const [index, child] of children.entries()) {
    try {
      process.kill(index === 0 ? -(child.pid as number) : (child.pid as number), 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await origin.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
