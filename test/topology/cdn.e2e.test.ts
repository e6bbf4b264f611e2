// CDN-assisted delivery on loopback: the origin publishes HLS to object storage (s3rver, S3's API),
// and the edge (workerd) serves it from there behind signed URLs. During a burst of 200 viewers,
// every playlist and segment comes from the bucket: no segment request reaches the origin.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/edge/load.js';
import { POSTGRES_TEST_URL } from '../../origin/test/harness.js';
import { startTestS3Server, type TestS3Server } from '../../origin/test/storage/s3-server.js';
import { startCountingProxy } from '../support/counting-proxy.js';
import { apiUser } from '../support/platform.js';
import { generateClip, killGroup, spawnTranscoder, waitFor } from '../support/stack.js';
import { npmRun, startEdgeTier } from '../support/tiers.js';
import { uploadWhole } from '../support/tus.js';

const INTERNAL_API_TOKEN = 'cdn-internal-token-0123456789';
const RUNNER_REGISTRATION_TOKEN = 'cdn-runner-token-0123456789';
const VIEWERS = 200;
const S3 = {
  S3_BUCKET: 'vidra',
  S3_REGION: 'us-east-1',
  S3_ACCESS_KEY_ID: 'S3RVER',
  S3_SECRET_ACCESS_KEY: 'S3RVER',
};
/** Anything a player fetches: playlists, init segments and media segments. */
const MEDIA_PATH = /\.(m3u8|m4s|mp4|ts|vtt|jpg)(\?|$)/;

describe(`CDN-assisted: edge serves object storage through signed URLs (${VIEWERS} viewers)`, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vidra-cdn-'));
  const database = `vidra_cdn_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = postgres(POSTGRES_TEST_URL, { max: 1, onnotice: () => {} });
  const running: ChildProcess[] = [];
  let s3: TestS3Server;
  let proxy: Awaited<ReturnType<typeof startCountingProxy>>;
  let edgeUrl: string;
  let videoId: string;

  beforeAll(async () => {
    s3 = await startTestS3Server('vidra');
    await admin.unsafe(`create database ${database}`);
    const url = new URL(POSTGRES_TEST_URL);
    url.pathname = `/${database}`;
    const port = await freePort();
    const origin = npmRun('origin', {
      ...S3,
      PORT: String(port),
      DATABASE_URL: url.toString(),
      DATA_DIR: path.join(dir, 'origin'),
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: s3.endpoint,
      INTERNAL_API_TOKEN,
      RUNNER_REGISTRATION_TOKEN,
      SCRYPT_LOG2_N: '10',
      LOG_LEVEL: 'warn',
    });
    running.push(origin.child);
    const originUrl = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => ((await fetch(`${originUrl}/healthz`).catch(() => undefined))?.ok ? true : undefined),
      60_000,
      origin.output,
    );
    // Everything the edge sends to the origin passes through this proxy and is counted.
    proxy = await startCountingProxy(originUrl);
    const edge = await startEdgeTier(proxy.url, path.join(dir, 'edge'), INTERNAL_API_TOKEN, {
      ...S3,
      S3_ENDPOINT: s3.endpoint,
      // As behind a TLS proxy that sets X-Real-IP: each viewer has its own address (and rate limit).
      CLIENT_IP_SOURCE: 'header:x-real-ip',
    });
    running.push(edge.edge.child);
    edgeUrl = edge.url;

    const user = await apiUser(edgeUrl, 'cdn_owner');
    const channel = await user.call('POST', '/api/v1/channels', { handle: 'cdn', displayName: 'CDN' });
    videoId = (await user.call('POST', '/api/v1/videos', { channelId: channel.id, title: 'Burst' })).video.id;
    const transcoder = spawnTranscoder(originUrl, 'cdn', { RUNNER_REGISTRATION_TOKEN });
    running.push(transcoder.child);
    const clip = await generateClip(path.join(dir, 'clip.mp4'), { width: 320, height: 180, seconds: 2 });
    await uploadWhole(readFileSync(clip), {
      endpoint: `${originUrl}/api/v1/uploads`,
      token: user.token,
      videoId,
    });
    await waitFor(
      async () =>
        (await user.call('GET', `/api/v1/videos/${videoId}`)).state === 'ready' ? true : undefined,
      60_000,
      transcoder.output,
    );
  }, 180_000);

  afterAll(async () => {
    for (const child of running) await killGroup(child);
    await proxy?.close();
    await s3?.stop();
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One viewer: a signed playback URL, the master, one variant and all its segments. */
  async function watch(viewer: number): Promise<{ files: number; bytes: number }> {
    const headers = { 'x-real-ip': `198.51.100.${viewer % 250}`, 'x-viewer': String(viewer) };
    const issued = await fetch(`${edgeUrl}/api/v1/videos/${videoId}/playback`, { method: 'POST', headers });
    if (issued.status !== 200) throw new Error(`playback: ${issued.status} ${await issued.text()}`);
    const { hls } = (await issued.json()) as { hls: string };
    const get = async (url: string) => {
      const res = await fetch(url, { headers });
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      return Buffer.from(await res.arrayBuffer());
    };
    const master = (await get(hls)).toString();
    const variantRef = master.split('\n').find((line) => line && !line.startsWith('#')) as string;
    const variantUrl = new URL(variantRef, hls).toString();
    const variant = (await get(variantUrl)).toString();
    const refs = [
      ...[...variant.matchAll(/URI="([^"]+)"/g)].map((m) => m[1] as string),
      ...variant.split('\n').filter((line) => line && !line.startsWith('#')),
    ];
    let bytes = 0;
    for (const ref of refs) bytes += (await get(new URL(ref, variantUrl).toString())).length;
    return { files: refs.length + 2, bytes };
  }

  it(`serves a burst of ${VIEWERS} viewers from the bucket, with no segment request at the origin`, async () => {
    await watch(VIEWERS); // warm: the edge's revocation list and policy caches
    proxy.reset();
    const started = Date.now();
    const sessions = await Promise.all(Array.from({ length: VIEWERS }, (_, i) => watch(i)));
    const seconds = (Date.now() - started) / 1000;
    const atOrigin = proxy.paths();
    const mediaAtOrigin = atOrigin.filter((p) => MEDIA_PATH.test(p));
    const files = sessions.reduce((n, s) => n + s.files, 0);
    const megabytes = sessions.reduce((n, s) => n + s.bytes, 0) / 1e6;
    console.log(
      `cdn burst: ${VIEWERS} viewers, ${files} playlist and segment responses (${megabytes.toFixed(1)} MB) in ` +
        `${seconds.toFixed(1)} s; origin saw ${atOrigin.length} requests (${mediaAtOrigin.length} for media; ` +
        `the rest: ${[...new Set(atOrigin.map((p) => p.replace(/[0-9a-f-]{36}/g, ':id')))].join(', ')})`,
    );
    expect(files).toBeGreaterThanOrEqual(VIEWERS * 4);
    expect(mediaAtOrigin).toEqual([]);
  }, 120_000);

  it('refuses a segment URL whose signature was tampered with', async () => {
    const issued = await fetch(`${edgeUrl}/api/v1/videos/${videoId}/playback`, { method: 'POST' });
    const { hls } = (await issued.json()) as { hls: string };
    const tampered = hls.replace(/\/play\/([^/]+)\//, (_, token: string) => `/play/${token.slice(0, -2)}xx/`);
    expect([401, 403]).toContain((await fetch(tampered)).status);
    expect((await fetch(hls)).status).toBe(200);
  });
});
