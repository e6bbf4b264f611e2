/**
 * bench/federation: one Create fanned out to 1,000 inboxes on a local sink (50 ms per answer,
 * ~7 % answering 503 once), through the real path: outbox event -> federation subscriber ->
 * delivery rows -> the origin's delivery worker, in a real origin process. Then an Update, during
 * which the origin is killed with SIGKILL at 30 % delivered and started again.
 * Baseline, same run: the same 1,000 POSTs from a bare loop with 32 in flight, no signing, no queue.
 * Bounded: stops by itself after --max-minutes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { openDatabase } from '../../db/client.js';
import { channels, federationFollowers, users, videos } from '../../db/schema/index.js';
import { channelKey } from '../../origin/src/services/federation/actors.js';
import { recordEvent } from '../../origin/src/services/outbox/record.js';
import { ROOT } from '../../test/support/stack.js';
import { freePort, waitForUrl } from '../edge/load.js';
import { startSink } from './sink.js';

const { values: args } = parseArgs({
  options: {
    inboxes: { type: 'string', default: '1000' },
    hosts: { type: 'string', default: '40' },
    'latency-ms': { type: 'string', default: '50' },
    'max-minutes': { type: 'string', default: '5' },
  },
});
const INBOXES = Number(args.inboxes);
const LATENCY = Number(args['latency-ms']);
const deadline = setTimeout(() => {
  console.error(`bench/federation: over ${args['max-minutes']} minutes; stopping`);
  void cleanup().then(() => process.exit(1));
}, Number(args['max-minutes']) * 60_000);

const base = process.env.DATABASE_URL_TEST ?? 'postgres://postgres@127.0.0.1:5432/test';
const dbName = `vidra_bench_fed_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const dbUrl = Object.assign(new URL(base), { pathname: `/${dbName}` }).toString();
const admin = postgres(base, { max: 1, onnotice: () => {} });
const workDir = mkdtempSync(path.join(tmpdir(), 'vidra-bench-fed-'));
const sink = await startSink({ hosts: Number(args.hosts), latencyMs: LATENCY, flaky: (i) => i % 14 === 0 });
let child: ChildProcess | undefined;
let handle: ReturnType<typeof openDatabase> | undefined;

async function cleanup() {
  child?.kill('SIGKILL');
  await handle?.close().catch(() => {});
  await sink.stop();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.end({ timeout: 2 });
  rmSync(workDir, { recursive: true, force: true });
}

const port = await freePort();
const publicUrl = `http://127.0.0.1:${port}`;
function startOrigin(): ChildProcess {
  const started = spawn(process.execPath, ['--import', 'tsx', 'origin/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      DATA_DIR: workDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      LOG_LEVEL: 'error',
      INTERNAL_API_TOKEN: 'bench-internal-token-0123456789',
      FEDERATION_ALLOW_PRIVATE_ADDRESSES: 'true',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return started;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

try {
  await admin.unsafe(`create database ${dbName}`);
  child = startOrigin();
  await waitForUrl(`${publicUrl}/healthz`, 60_000);
  handle = openDatabase({ url: dbUrl });
  const db = handle.db;
  const [user] = await db
    .insert(users)
    .values({ email: 'bench@example.com', username: 'bench', passwordHash: 'x' })
    .returning();
  const [channel] = await db
    .insert(channels)
    .values({ ownerId: user?.id as string, handle: 'fanout', displayName: 'Fan-out' })
    .returning();
  const channelId = channel?.id as string;
  const group = await (
    await fetch(`${publicUrl}/video-channels/fanout`, { headers: { accept: 'application/activity+json' } })
  ).json();
  await sink.setPublicKey(group.publicKey.publicKeyPem);
  for (let i = 0; i < INBOXES; i += 500) {
    const batch = Array.from({ length: Math.min(500, INBOXES - i) }, (_, k) => ({
      localActor: channelKey(channelId),
      followerId: `http://sink.invalid/users/${i + k}`,
      inbox: sink.inboxUrl(i + k),
    }));
    await db.insert(federationFollowers).values(batch);
  }
  const [video] = await db
    .insert(videos)
    .values({
      channelId,
      title: 'Fan-out',
      description: 'One Create to a thousand inboxes.',
      state: 'ready',
      durationSeconds: 2,
    })
    .returning();
  const ref = { videoId: video?.id as string, channelId };

  // Baseline: the floor of 1,000 POSTs at 32 in flight against the same sink (no signing, no queue).
  const baselineStart = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < INBOXES) {
        const i = next++;
        await fetch(sink.inboxUrl(i), { method: 'POST', body: '{}' }).then((r) => r.body?.cancel());
      }
    }),
  );
  const baselineMs = performance.now() - baselineStart;
  sink.resetPeak();
  const refusedBefore = sink.stats.refused;

  // Run 1: the Create.
  const retriesBefore = sink.stats.answered503;
  const createStart = performance.now();
  await db.transaction((tx) =>
    recordEvent(tx, {
      type: 'video.published',
      payload: { ...ref, privacy: 'public', stage: 'preview', republished: false, assetVersion: 1 },
    }),
  );
  const createId = `${publicUrl}/videos/watch/${ref.videoId}/activities/create/`;
  const deliveredOf = (prefix: string) =>
    sink
      .ids()
      .filter((id) => id.startsWith(prefix))
      .reduce((n, id) => n + sink.delivered(id), 0);
  const ok1 = await until(() => deliveredOf(createId) >= INBOXES, 60_000);
  const createMs = performance.now() - createStart;
  const peak1 = sink.peak();
  const retries1 = sink.stats.answered503 - retriesBefore;
  console.log(
    `fan-out Create: ${deliveredOf(createId)}/${INBOXES} delivered and verified in ${seconds(createMs)} (target 10 s${ok1 ? '' : ', NOT all delivered'})`,
  );
  console.log(
    `  baseline (bare loop, 32 in flight, unsigned): ${seconds(baselineMs)}; ratio ${(createMs / baselineMs).toFixed(2)}x`,
  );
  console.log(
    `  peak in flight at the sink: ${peak1} (target <= 32); retried after a 503: ${retries1}; refused signatures: ${sink.stats.refused - refusedBefore}`,
  );

  // Run 2: the Update, with the origin killed at 30 % delivered.
  sink.resetPeak();
  const repeatsBefore = sink.stats.repeats;
  const updateStart = performance.now();
  await db.update(videos).set({ title: 'Fan-out, renamed' });
  await db.transaction((tx) =>
    recordEvent(tx, { type: 'video.updated', payload: { ...ref, privacy: 'public', changed: ['title'] } }),
  );
  const updateId = `${publicUrl}/videos/watch/${ref.videoId}/activities/update/`;
  await until(() => deliveredOf(updateId) >= INBOXES * 0.3, 60_000);
  child.kill('SIGKILL');
  const atKill = deliveredOf(updateId);
  await new Promise((resolve) => child?.once('exit', resolve));
  child = startOrigin();
  await waitForUrl(`${publicUrl}/healthz`, 60_000);
  const ok2 = await until(() => deliveredOf(updateId) >= INBOXES, 120_000);
  const updateMs = performance.now() - updateStart;
  console.log(
    `crash: SIGKILL at ${atKill}/${INBOXES} delivered, restarted; ${deliveredOf(updateId)}/${INBOXES} delivered in ${seconds(updateMs)} (target 100%${ok2 ? '' : ', NOT all delivered'})`,
  );
  const processedOnce =
    deliveredOf(updateId) === INBOXES && sink.ids().filter((id) => id.startsWith(updateId)).length === 1;
  console.log(
    `  repeated arrivals (same activity id, same inbox), dropped by the receiver's dedupe: ${sink.stats.repeats - repeatsBefore}; each inbox processed the Update once: ${processedOnce}; peak in flight: ${sink.peak()}`,
  );
} finally {
  clearTimeout(deadline);
  await cleanup();
}
