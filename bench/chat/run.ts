/**
 * bench/chat (issue 11): one room, 500 clients, 50 messages/s, measured in one run against
 *   (floor) a bare `ws` server broadcasting in one process (Owncast's single hub),
 *   (a) two origins joined through Redis (one stream per room, one XREAD cursor per origin):
 *       latency at the sender's origin and at the other one,
 *   (b) the same through the edge (wrangler dev, i.e. real workerd) in front of origin A.
 * Prints deliveries/s, loss, p50/p99, the origins' CPU, and our p99 against the floor's.
 * Targets: 0 loss; p99 <= 30 ms at the same origin, <= 50 ms across origins.
 * Run: npx tsx bench/chat/run.ts [--clients 500] [--rate 50] [--seconds 10] [--no-edge]
 * Needs PostgreSQL (DATABASE_URL_TEST) and Redis (REDIS_URL_TEST); stops by itself (5 min at most).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type WebSocket from 'ws';
import { wranglerBin } from '../../scripts/wrangler-bin.js';
import { freePort, waitForUrl } from '../edge/load.js';
import { benchHarness } from '../support/harness.js';
import { driveRoom, openSockets, percentile, type RoomFigures } from './clients.js';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '500' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    'no-edge': { type: 'boolean', default: false },
  },
});
const CLIENTS = Number(args.clients);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const SENDERS = Math.max(2, Math.ceil(RATE)); // one message per sender per second: under the 3-in-2-s limit
const TOKEN = 'bench-internal-token-0123456789';
const REDIS = process.env.REDIS_URL_TEST ?? 'redis://127.0.0.1:6379';
const bench = benchHarness('chat', 5);
const { dbUrl, spawnChild, workDir: dataDir } = bench;

/** CPU seconds a process used so far (utime + stime from /proc, in clock ticks of 10 ms). */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function startOrigin(name: string) {
  const port = await freePort();
  const child = spawnChild([process.execPath, '--import', 'tsx', 'origin/src/main.ts'], {
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: dbUrl,
    REDIS_URL: REDIS,
    INTERNAL_API_TOKEN: TOKEN,
    SCRYPT_LOG2_N: '10',
    LOG_LEVEL: 'warn',
    DATA_DIR: path.join(dataDir, name),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForUrl(`${url}/healthz`, 60_000);
  return { child, url };
}

async function json(
  url: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function user(base: string, name: string): Promise<string> {
  const credentials = { email: `${name}@example.com`, password: 'a long bench password' };
  await json(`${base}/api/v1/auth/register`, { method: 'POST', body: { ...credentials, username: name } });
  return (await json(`${base}/api/v1/auth/login`, { method: 'POST', body: credentials })).accessToken;
}

function line(label: string, f: RoomFigures, cpu?: string) {
  const loss = f.expected - f.deliveries;
  const lat = (v: number[]) =>
    v.length ? `p50 ${percentile(v, 50).toFixed(1)} ms, p99 ${percentile(v, 99).toFixed(1)} ms` : 'n/a';
  console.log(
    `${label}: ${f.sent} sent, ${f.acked ? `${f.acked} acked, ${f.refused} refused, ` : ''}${Math.round(f.deliveries / f.seconds)} deliveries/s, loss ${loss} (${((100 * loss) / Math.max(1, f.expected)).toFixed(2)}%); same origin ${lat(f.same)}; across origins ${lat(f.cross)}${cpu ? `; ${cpu}` : ''}`,
  );
}

const chatUrl = (base: string, videoId: string) =>
  `${base.replace(/^http/, 'ws')}/api/v1/videos/${videoId}/chat`;
const closeAll = (sockets: WebSocket[]) => {
  for (const s of sockets) s.terminate();
};

try {
  await bench.createDatabase();
  const a = await startOrigin('a');
  const b = await startOrigin('b');
  // A live on origin A: an owner, a channel, a stream key, a publisher authorized as ingest does.
  const ownerToken = await user(a.url, 'benchowner');
  const channel = await json(`${a.url}/api/v1/channels`, {
    method: 'POST',
    token: ownerToken,
    body: { handle: 'benchchat', displayName: 'Bench chat' },
  });
  const key = await json(`${a.url}/api/v1/channels/benchchat/live`, { method: 'POST', token: ownerToken });
  const live = await json(`${a.url}/internal/v1/live/authorize`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}` },
    body: {
      protocol: 'rtmp',
      streamKey: key.ingest.streamKey,
      pullBaseUrl: 'rtmp://127.0.0.1:1935/live',
      node: 'bench',
    },
  });
  void channel;
  const videoId = live.videoId as string;
  const tokens: string[] = [];
  for (let i = 0; i < SENDERS; i++) tokens.push(await user(a.url, `sender${i}`));
  const message = (text: string, n: number) =>
    JSON.stringify({ type: 'message', text, clientMsgId: `c${n}-${randomUUID()}` });
  console.log(
    `load average: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${cpus().length} cores`,
  );
  console.log(
    `bench/chat: ${CLIENTS} clients in one room, ${RATE} messages/s from ${SENDERS} senders for ${SECONDS} s`,
  );

  // Floor: a bare ws broadcast in one process.
  const bareChild = spawnChild([process.execPath, '--import', 'tsx', 'bench/chat/bare.ts'], {}, 'pipe');
  const barePort = await new Promise<number>((resolve, reject) => {
    bareChild.stdout?.on('data', (chunk: Buffer) => {
      const m = /bare listening (\d+)/.exec(String(chunk));
      if (m) resolve(Number(m[1]));
    });
    bareChild.once('exit', () => reject(new Error('bare server exited')));
  });
  const bare = await openSockets(CLIENTS, () => `ws://127.0.0.1:${barePort}`);
  const bareCpu = cpuSeconds(bareChild.pid);
  const floor = await driveRoom({
    sockets: bare,
    senders: bare.slice(0, SENDERS),
    group: () => 'one',
    rate: RATE,
    seconds: SECONDS,
    frame: (text) => JSON.stringify({ type: 'message', text }),
    acks: false,
  });
  const floorCpu = cpuSeconds(bareChild.pid) - bareCpu;
  closeAll(bare);
  line(
    'floor   bare ws, 1 process',
    floor,
    `server CPU ${((100 * floorCpu) / SECONDS).toFixed(0)}% of a core`,
  );

  // (a) Two origins through Redis: half the clients on each, senders split too.
  const headers = (i: number) =>
    i < SENDERS ? { authorization: `Bearer ${tokens[i]}` } : ({} as Record<string, string>);
  // Senders are the first SENDERS sockets, alternating origins.
  const origin = (i: number) =>
    i < SENDERS ? (i % 2 === 0 ? a.url : b.url) : i - SENDERS < (CLIENTS - SENDERS) / 2 ? a.url : b.url;
  const sockets = await openSockets(CLIENTS, (i) => chatUrl(origin(i), videoId), headers);
  const groups = new Map(sockets.map((s, i) => [s, origin(i)]));
  await new Promise((r) => setTimeout(r, 500)); // history frames out of the way
  const cpuBefore = cpuSeconds(a.child.pid) + cpuSeconds(b.child.pid);
  const two = await driveRoom({
    sockets,
    senders: sockets.slice(0, SENDERS),
    group: (s) => groups.get(s) as string,
    rate: RATE,
    seconds: SECONDS,
    frame: message,
    acks: true,
  });
  const cpu = cpuSeconds(a.child.pid) + cpuSeconds(b.child.pid) - cpuBefore;
  closeAll(sockets);
  line(
    '(a)     two origins + Redis',
    two,
    `origins CPU ${((100 * cpu) / SECONDS).toFixed(0)}% of a core (both)`,
  );

  let viaEdge: RoomFigures | undefined;
  if (!args['no-edge']) {
    const edgePort = await freePort();
    spawnChild(
      [
        process.execPath,
        wranglerBin(),
        'dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(edgePort),
        '--log-level',
        'error',
        '--show-interactive-dev-session=false',
        '--var',
        `ORIGINS:${a.url}`,
        '--var',
        `INTERNAL_API_TOKEN:${TOKEN}`,
      ],
      { WRANGLER_SEND_METRICS: 'false', CI: 'true' },
    );
    const edgeUrl = `http://127.0.0.1:${edgePort}`;
    await waitForUrl(`${edgeUrl}/edge/healthz`, 90_000);
    // Half through the edge (to origin A), half straight to origin B: same-origin latency is edge
    // to edge, cross-origin is an edge client hearing a B client (and the reverse).
    const via = (i: number) => (origin(i) === a.url ? edgeUrl : b.url);
    await new Promise((r) => setTimeout(r, 1000)); // new rooms' history out of the way
    const edgeSockets = await openSockets(CLIENTS, (i) => chatUrl(via(i), videoId), headers);
    const edgeGroups = new Map(edgeSockets.map((s, i) => [s, via(i)]));
    await new Promise((r) => setTimeout(r, 500));
    viaEdge = await driveRoom({
      sockets: edgeSockets,
      senders: edgeSockets.slice(0, SENDERS),
      group: (s) => edgeGroups.get(s) as string,
      rate: RATE,
      seconds: SECONDS,
      frame: message,
      acks: true,
    });
    closeAll(edgeSockets);
    line('(b)     half through the edge', viaEdge);
  }

  const p99 = (v: number[]) => percentile(v, 99);
  console.log(
    `ratio   (a) same-origin p99 / floor p99 = ${(p99(two.same) / p99(floor.same)).toFixed(2)}; (a) cross-origin p99 / floor p99 = ${(p99(two.cross) / p99(floor.same)).toFixed(2)}`,
  );
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const lost = two.expected - two.deliveries + (viaEdge ? viaEdge.expected - viaEdge.deliveries : 0);
  console.log(
    `targets 0 loss: ${verdict(lost === 0)} (${lost}); same-origin p99 <= 30 ms: ${verdict(p99(two.same) <= 30)} (${p99(two.same).toFixed(1)}); cross-origin p99 <= 50 ms: ${verdict(p99(two.cross) <= 50)} (${p99(two.cross).toFixed(1)})`,
  );
} finally {
  await bench.finish();
}
