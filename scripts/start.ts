/**
 * `npm start`: the whole platform on embedded defaults, in one terminal.
 * - origin in this process, on PGlite under DATA_DIR and local disk storage;
 * - a transcoder in this process, pulling jobs from the origin like a remote one would;
 * - the RTMP and SRT ingest in this process, asking the origin about each stream key;
 * - the edge worker under `wrangler dev` (real workerd), pointed at the origin, its vars and
 *   secrets in a 0600 file under DATA_DIR (never on the command line).
 * Ctrl-C stops them all.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { parseIngestEnv } from '../ingest/src/env.js';
import { startIngest } from '../ingest/src/main.js';
import { startOrigin } from '../origin/src/main.js';
import { nodeVersionProblem } from '../protocol/runtime.js';
import { parseTranscoderEnv } from '../transcoder/src/env.js';
import { startTranscoder } from '../transcoder/src/main.js';
import { buildWebAssets } from './build-web-assets.js';
import { edgeVarsFromEnv } from './edge/env.js';
import { writeEdgeVarsFile } from './edge-vars-file.js';
import { parseStartEnv } from './env.js';
import { loadOrCreateSecrets } from './secrets.js';
import { startUpstashBridge } from './upstash-bridge/server.js';
import { wranglerBin } from './wrangler-bin.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

async function waitFor(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the edge exited early with code ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

/** A port nothing listens on right now (for INGEST_RTMP_PORT=0; the origin must know it up front). */
async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}

function startEdge(host: string, port: number, dataDir: string, vars: Record<string, string>): ChildProcess {
  const wrangler = wranglerBin();
  // Vars and secrets go through a 0600 file, never argv, where any local user could read them.
  const args = ['dev', '--ip', host, '--port', String(port), '--env-file', writeEdgeVarsFile(dataDir, vars)];
  args.push(
    '--persist-to',
    path.join(dataDir, 'wrangler'),
    '--log-level',
    'warn',
    '--show-interactive-dev-session=false',
  );
  return spawn(process.execPath, [wrangler, ...args], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    // CLOUDFLARE_INCLUDE_PROCESS_ENV would add this whole environment to the worker's bindings.
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      CI: 'true',
      CLOUDFLARE_INCLUDE_PROCESS_ENV: 'false',
    },
  });
}

const nodeProblem = nodeVersionProblem(process.versions.node, 'npm start');
if (nodeProblem) {
  console.error(nodeProblem);
  process.exit(1);
}
const env = parseStartEnv();
// hls.js and tus-js-client are served to browsers from edge/public; copy the locked builds there.
buildWebAssets();
const secrets = loadOrCreateSecrets(path.resolve(env.DATA_DIR));
// The origin hands encoders the RTMP URL in its live API, so ingest's port is settled before it starts.
const ingestHost = '127.0.0.1';
const ingestPort = env.INGEST_RTMP_PORT || (await freePort(ingestHost));
const origin = await startOrigin({
  ...env,
  LIVE_RTMP_URL: env.LIVE_RTMP_URL_GIVEN ?? `rtmp://${ingestHost}:${ingestPort}/live`,
  // WHIP goes through the edge (to the in-process ingest), so encoders get the edge's /whip.
  LIVE_WHIP_URL: `${env.PUBLIC_URL ?? `http://${env.EDGE_HOST}:${env.EDGE_PORT}`}/whip`,
  INTERNAL_API_TOKEN: env.INTERNAL_API_TOKEN ?? secrets.internalApiToken,
  RUNNER_REGISTRATION_TOKEN: env.RUNNER_REGISTRATION_TOKEN ?? secrets.runnerRegistrationToken,
});
const transcoder = await startTranscoder(
  parseTranscoderEnv({
    // A live job holds its slot for the whole session: two, so uploads still transcode while on air.
    TRANSCODER_CONCURRENCY: '2',
    ...process.env,
    ORIGIN_URL: origin.url,
    RUNNER_REGISTRATION_TOKEN: origin.runnerRegistrationToken,
    LOG_LEVEL: env.LOG_LEVEL,
  }),
).catch((error: unknown) => {
  console.error(
    `The transcoder did not start (${(error as Error).message}); uploads will wait in the queue.`,
  );
  return undefined;
});
// A busy RTMP port (another ingest, OBS's own server) leaves the rest of the platform usable.
const ingest = await startIngest(
  parseIngestEnv({
    ORIGIN_URL: origin.url,
    INTERNAL_API_TOKEN: origin.internalApiToken,
    INGEST_HOST: ingestHost,
    INGEST_RTMP_PORT: String(ingestPort),
    INGEST_NODE_NAME: 'ingest-local',
    LOG_LEVEL: env.LOG_LEVEL,
    // SRT listeners bind LIVE_SRT_HOST, the address the origin hands encoders.
    INGEST_SRT_HOST: env.LIVE_SRT_HOST,
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('INGEST_SRT'))),
    // WHIP/WHEP signalling on a free port (the edge is told where), loopback as a host candidate.
    INGEST_WEBRTC_PORT: '0',
    INGEST_WEBRTC_ADDRESSES: '127.0.0.1',
    ...Object.fromEntries(
      Object.entries(process.env).filter(([name]) =>
        /^(INGEST_WEBRTC|INGEST_REVOCATION|WEBRTC_ICE_SERVERS)/.test(name),
      ),
    ),
  }),
).catch((error: unknown) => {
  console.error(`The RTMP ingest did not start (${(error as Error).message}); live streaming is off.`);
  return undefined;
});
// Shared rate limits: an Upstash endpoint if given, else the bundled bridge in front of REDIS_URL.
const bridge =
  env.REDIS_URL && !env.UPSTASH_REDIS_REST_URL
    ? await startUpstashBridge({ redisUrl: env.REDIS_URL, token: secrets.internalApiToken })
    : undefined;
const upstash: Record<string, string> = bridge
  ? { UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: secrets.internalApiToken }
  : env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
    ? {
        UPSTASH_REDIS_REST_URL: env.UPSTASH_REDIS_REST_URL,
        UPSTASH_REDIS_REST_TOKEN: env.UPSTASH_REDIS_REST_TOKEN,
      }
    : {};
const edge = startEdge(env.EDGE_HOST, env.EDGE_PORT, path.resolve(env.DATA_DIR), {
  ORIGINS: origin.url,
  INTERNAL_API_TOKEN: origin.internalApiToken,
  PLAYBACK_KEYS: secrets.playbackKeys,
  // Under wrangler dev a client-sent CF-Connecting-IP is kept as is, so it is never the source here.
  CLIENT_IP_SOURCE: env.CLIENT_IP_SOURCE,
  // Issued playback URLs name the edge as configured (the origin uses the same), never the Host header.
  PUBLIC_URL: env.PUBLIC_URL,
  // WHIP and WHEP signalling go through the edge to the in-process ingest.
  ...(ingest?.webrtc ? { WEBRTC_NODES: ingest.webrtc.url } : {}),
  ...upstash,
  // Tuning the edge validates itself (RATE_LIMIT_AUTH=100/60 ...), passed through when set.
  ...Object.fromEntries(
    Object.entries(edgeVarsFromEnv()).filter(([name]) => /^(RATE_LIMIT_|PLAYBACK_(?!KEYS))/.test(name)),
  ),
});
const edgeUrl = `http://${env.EDGE_HOST}:${env.EDGE_PORT}`;

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  edge.kill('SIGTERM');
  await ingest?.close();
  await transcoder?.stop();
  await bridge?.close();
  await origin.close();
  process.exit(code);
}
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));
edge.once('exit', (code) => {
  if (!stopping) {
    console.error(`The edge (wrangler dev) stopped with code ${code}; shutting down.`);
    void stop(1);
  }
});

try {
  await waitFor(`${edgeUrl}/edge/healthz`, edge, 90_000);
} catch (error) {
  console.error(`Vidra could not start the edge: ${(error as Error).message}`);
  await stop(1);
}

console.log(`
  Vidra is running.

    Open:     ${edgeUrl}/            (edge: what browsers and apps use)
    API:      ${edgeUrl}/api/v1/openapi.json
    Origin:   ${origin.url}/healthz  (regional API core)
    Limits:   ${'UPSTASH_REDIS_REST_URL' in upstash ? `Redis through ${upstash.UPSTASH_REDIS_REST_URL}` : 'in memory (set REDIS_URL to share them)'}
    RTMP:     ${ingest ? `${env.LIVE_RTMP_URL_GIVEN ?? ingest.rtmpUrl}  (publish to <url>/<stream key>)` : 'no ingest (see the error above)'}
    SRT:      ${ingest?.srt ? `srt://${env.LIVE_SRT_HOST}:${env.LIVE_SRT_PORTS.first}-${env.LIVE_SRT_PORTS.last}  (one port and passphrase per channel: see Go live)` : 'off (FFmpeg without SRT, or INGEST_SRT=off)'}
    WHIP:     ${ingest?.webrtc ? `${edgeUrl}/whip  (Bearer <stream key>; OBS: Settings > Stream > WHIP)` : 'off'}
    Jobs:     ${transcoder ? 'transcoder running in this process' : 'no transcoder (FFmpeg missing)'}
    Data:     ${path.resolve(env.DATA_DIR)} (${env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'})

  Press Ctrl-C to stop.
`);
