// The origin/edge split on loopback, as processes: the edge (workerd serve), haproxy
// (deploy/haproxy/haproxy.cfg), two origins on one PostgreSQL, two transcoders and one ingest node.
// Killing an origin fails no viewer request once the health-check window has passed; killing a
// transcoder mid-job lets the other complete it.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/edge/load.js';
import { POSTGRES_TEST_URL } from '../../origin/test/harness.js';
import { startHaproxy } from '../support/haproxy.js';
import { apiUser } from '../support/platform.js';
import { killGroup, waitFor } from '../support/stack.js';
import { ffmpegOf, killTranscoderMidJob, npmRun, startEdgeTier } from '../support/tiers.js';

const INTERNAL_API_TOKEN = 'split-internal-token-0123456789';
const RUNNER_REGISTRATION_TOKEN = 'split-runner-token-0123456789';
/** haproxy's inter (500 ms) x fall (2), plus one check interval of slack. */
const HEALTH_WINDOW_MS = 1500;

const tier = npmRun;

/** Whether a process runs (a zombie waiting for a container's init to reap it does not). */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('origin/edge split: edge -> haproxy -> two origins; two transcoders, one ingest', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vidra-split-'));
  const database = `vidra_split_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = postgres(POSTGRES_TEST_URL, { max: 1, onnotice: () => {} });
  const running: ChildProcess[] = [];
  let origins: Array<ReturnType<typeof tier>>;
  let lb: Awaited<ReturnType<typeof startHaproxy>>;
  let edgeUrl: string;
  let user: Awaited<ReturnType<typeof apiUser>>;
  let videoId: string;

  beforeAll(async () => {
    await admin.unsafe(`create database ${database}`);
    const url = new URL(POSTGRES_TEST_URL);
    url.pathname = `/${database}`;
    const ports = [await freePort(), await freePort()];
    const shared = {
      DATABASE_URL: url.toString(),
      INTERNAL_API_TOKEN,
      RUNNER_REGISTRATION_TOKEN,
      // One storage and one tus staging folder for both origins, as a shared volume would be.
      STORAGE_DIR: path.join(dir, 'storage'),
      UPLOAD_DIR: path.join(dir, 'uploads'),
      SCRYPT_LOG2_N: '10',
      // A dead transcoder's lease runs out in 4 s instead of 15 s, to keep the suite short.
      JOB_LEASE_SECONDS: '4',
      JOB_RETRY_BASE_SECONDS: '0',
      LOG_LEVEL: 'warn',
    };
    origins = ports.map((port, i) =>
      tier('origin', { ...shared, PORT: String(port), DATA_DIR: path.join(dir, `origin-${i + 1}`) }),
    );
    running.push(...origins.map((o) => o.child));
    for (const [i, port] of ports.entries())
      await waitFor(
        async () =>
          (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok ? true : undefined,
        60_000,
        () => origins[i]?.output() ?? '',
      );
    lb = await startHaproxy(await freePort(), ports);
    const { edge, url: edgeAt } = await startEdgeTier(lb.url, path.join(dir, 'edge'), INTERNAL_API_TOKEN);
    running.push(edge.child);
    edgeUrl = edgeAt;
    user = await apiUser(edgeUrl, 'split_owner');
    const channel = await user.call('POST', '/api/v1/channels', { handle: 'split', displayName: 'Split' });
    videoId = (await user.call('POST', '/api/v1/videos', { channelId: channel.id, title: 'Split video' }))
      .video.id;
  }, 150_000);

  afterAll(async () => {
    for (const child of running) await killGroup(child);
    await lb?.stop();
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs an ingest node on its own, pointed at the origins through the load balancer', async () => {
    const rtmpPort = await freePort();
    const ingest = tier('ingest', {
      ORIGIN_URL: lb.url,
      INTERNAL_API_TOKEN,
      INGEST_RTMP_PORT: String(rtmpPort),
      INGEST_SRT: 'off',
      // WHIP/WHEP signalling would bind 8889: only the WebRTC suite turns it on (on port 0).
      INGEST_WEBRTC: 'off',
      LOG_LEVEL: 'info',
    });
    running.push(ingest.child);
    await waitFor(
      () =>
        new Promise<true | undefined>((resolve) => {
          const socket = connect(rtmpPort, '127.0.0.1')
            .once('connect', () => resolve(socket.end() && true))
            .once('error', () => resolve(undefined));
        }),
      30_000,
      ingest.output,
    );
  }, 40_000);

  it('fails no viewer request after the health-check window when an origin is killed', async () => {
    const results: Array<{ at: number; ok: boolean; ms: number; status: number }> = [];
    let stop = false;
    const viewer = async () => {
      while (!stop) {
        for (const route of [
          '/api/v1/videos',
          `/api/v1/videos/${videoId}`,
          '/api/v1/search/videos?search=split',
        ]) {
          const started = Date.now();
          const res = await fetch(`${edgeUrl}${route}`).catch(() => undefined);
          await res?.arrayBuffer().catch(() => undefined);
          results.push({
            at: started,
            ok: res?.status === 200,
            ms: Date.now() - started,
            status: res?.status ?? 0,
          });
        }
      }
    };
    const viewers = Array.from({ length: 8 }, viewer);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const victim = origins[0] as ReturnType<typeof tier>;
    const killedAt = Date.now();
    await killGroup(victim.child);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    stop = true;
    await Promise.all(viewers);

    const before = results.filter((r) => r.at < killedAt);
    const during = results.filter((r) => r.at >= killedAt && r.at < killedAt + HEALTH_WINDOW_MS);
    const after = results.filter((r) => r.at >= killedAt + HEALTH_WINDOW_MS);
    const failed = (rs: typeof results) => rs.filter((r) => !r.ok);
    const p = (rs: typeof results, q: number) =>
      rs.map((r) => r.ms).sort((a, b) => a - b)[Math.floor(rs.length * q)] ?? 0;
    console.log(
      `split failover: ${before.length} requests before the kill, ${during.length} in the ${HEALTH_WINDOW_MS} ms window ` +
        `(${failed(during).length} failed, max ${Math.max(0, ...during.map((r) => r.ms))} ms), ${after.length} after ` +
        `(${failed(after).length} failed, p50 ${p(after, 0.5)} ms, p99 ${p(after, 0.99)} ms)`,
    );
    expect(failed(before)).toEqual([]);
    expect(after.length).toBeGreaterThan(50);
    expect(failed(after)).toEqual([]);
  }, 30_000);

  it('takes a transcoder killed with kill -9 mid-job down with its FFmpeg, and lets the second complete the job', async () => {
    const { ffmpeg, killedAt, rescuer } = await killTranscoderMidJob({
      originUrl: lb.url,
      token: user.token,
      videoId,
      dir,
      runnerRegistrationToken: RUNNER_REGISTRATION_TOKEN,
      running,
      seconds: 8,
    });
    // kill -9 of the Node process only: its FFmpeg must not outlive it (parent-death watch).
    await waitFor(
      async () => (isRunning(ffmpeg.pid) ? undefined : true),
      2000,
      () => 'FFmpeg outlived its transcoder',
    );
    const ffmpegGoneMs = Date.now() - killedAt;
    await waitFor(async () => ffmpegOf(rescuer.child.pid as number), 20_000, rescuer.output);
    const takeoverMs = Date.now() - killedAt;
    const ready = await waitFor(
      async () => {
        const video = await user.call('GET', `/api/v1/videos/${videoId}`);
        return video.state === 'ready' && video.progress === 100 ? video : undefined;
      },
      40_000,
      rescuer.output,
    );
    console.log(
      `split takeover: FFmpeg exited ${ffmpegGoneMs} ms after kill -9; the second transcoder took the job ${takeoverMs} ms after it (lease 4 s)`,
    );
    expect(ready.renditions.length).toBeGreaterThan(0);
  }, 120_000);
});
