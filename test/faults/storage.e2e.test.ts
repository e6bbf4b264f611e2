/**
 * Faults: the storage fills up, then turns read-only (issue 16, storage). The origin stores on a
 * tmpfs of this test's own (real ENOSPC and EROFS, not chmod, which root ignores) and a PostgreSQL
 * cluster of its own. The owner must see a reason a person can read, and an admin's retry must
 * finish the video once the operator fixed the storage.
 */
import { mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/edge/load.js';
import { generateClip, killGroup, spawnTier, spawnTranscoder, waitFor } from '../support/stack.js';
import { uploadWhole } from '../support/tus.js';
import { type PostgresCluster, startPostgresCluster } from './postgres-cluster.js';
import { mountTmpfs, type StorageMount } from './storage-mount.js';

const RUNNER_REGISTRATION_TOKEN = 'faults-runner-token-0123456789';
const dir = mkdtempSync(path.join(tmpdir(), 'vidra-fault-storage-'));
let pg: PostgresCluster;
let store: StorageMount;
let origin: ReturnType<typeof spawnTier>;
let url: string;
let clip: Buffer;
let transcoder: ReturnType<typeof spawnTranscoder> | undefined;
let admin: string;

async function api(method: string, route: string, token?: string, body?: unknown) {
  const res = await fetch(`${url}${route}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read loose JSON
  return { status: res.status, body: (await res.json().catch(() => ({}))) as any };
}

/** Register and sign in; the instance's first account is its admin. */
async function signIn(name: string): Promise<string> {
  const credentials = { email: `${name}@example.com`, username: name, password: `pw-${name}-long-enough` };
  expect((await api('POST', '/api/v1/auth/register', undefined, credentials)).status).toBe(202);
  const login = await api('POST', '/api/v1/auth/login', undefined, credentials);
  return login.body.accessToken as string;
}

beforeAll(async () => {
  [pg, store] = await Promise.all([startPostgresCluster(), mountTmpfs(16 * 1024 * 1024)]);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  origin = spawnTier(['node', '--import', 'tsx', 'origin/src/main.ts'], {
    DATABASE_URL: pg.url,
    DATA_DIR: path.join(dir, 'origin'),
    STORAGE_DIR: store.dir,
    UPLOAD_DIR: path.join(dir, 'uploads'),
    PORT: String(port),
    LOG_LEVEL: 'warn',
    RUNNER_REGISTRATION_TOKEN,
    SCRYPT_LOG2_N: '10',
    JOB_MAX_ATTEMPTS: '2',
    JOB_RETRY_BASE_SECONDS: '0',
  });
  await waitFor(
    async () => ((await fetch(`${url}/healthz`).catch(() => undefined))?.ok ? true : undefined),
    60_000,
    () => origin.output(),
  );
  admin = await signIn('admin');
  clip = readFileSync(
    await generateClip(path.join(dir, 'clip.mp4'), { width: 320, height: 180, seconds: 2, codec: 'mpeg4' }),
  );
}, 90_000);

afterEach(async () => {
  if (transcoder) await killGroup(transcoder.child);
  transcoder = undefined;
});

afterAll(async () => {
  if (origin) await killGroup(origin.child);
  await store?.dispose();
  await pg?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Upload a video with no transcoder running, inject the fault, then let a transcoder try. */
async function failUnder(
  name: string,
  inject: () => Promise<void>,
  fix: () => Promise<void>,
  reason: RegExp,
) {
  const owner = await signIn(`owner_${name}`);
  const channel = await api('POST', '/api/v1/channels', owner, { handle: `ch_${name}`, displayName: name });
  const video = await api('POST', '/api/v1/videos', owner, { channelId: channel.body.id, title: name });
  const videoId = video.body.video.id as string;
  await uploadWhole(clip, { endpoint: `${url}/api/v1/uploads`, token: owner, videoId });
  await inject();
  const started = Date.now();
  transcoder = spawnTranscoder(url, `faults-${name}`, { RUNNER_REGISTRATION_TOKEN });
  const failed = await waitFor(
    async () => {
      const v = (await api('GET', `/api/v1/videos/${videoId}`, owner)).body;
      return v.state === 'failed' ? v : undefined;
    },
    60_000,
    () => `${transcoder?.output()}\n${origin.output()}`,
  );
  console.log(`${name}: failed after ${Date.now() - started} ms: ${failed.error}`);
  // A reason a person can act on, never "500 Something went wrong".
  expect(failed.error).toMatch(reason);
  expect(failed.error).not.toMatch(/Something went wrong|\b500\b/);

  // Only an admin may retry; once the operator fixed the storage, the retry finishes the video.
  expect((await api('POST', `/api/v1/videos/${videoId}/retry`, owner)).status).toBe(403);
  await fix();
  const retried = await api('POST', `/api/v1/videos/${videoId}/retry`, admin);
  expect(retried.status).toBe(202);
  expect((await api('POST', `/api/v1/videos/${videoId}/retry`, admin)).status).toBe(409);
  const ready = await waitFor(
    async () => {
      const v = (await api('GET', `/api/v1/videos/${videoId}`, owner)).body;
      return v.state === 'ready' && v.progress === 100 ? v : undefined;
    },
    60_000,
    () => `${transcoder?.output()}\n${origin.output()}`,
  );
  expect(ready.renditions.length).toBeGreaterThan(0);
  expect(ready.error).toBeUndefined();
}

describe('storage failures', () => {
  it('a full disk fails the video with "The storage is full", and an admin retry finishes it', async () => {
    const filler = path.join(store.dir, 'filler');
    await failUnder(
      'full',
      async () => {
        // Leave a few KB: the first segments fail, as on a disk that fills up mid-ladder.
        const { bavail, bsize } = statfsSync(store.dir);
        writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - 8 * 1024)));
      },
      async () => rmSync(filler),
      /The storage is full/,
    );
  }, 150_000);

  it('a read-only mount fails the video with "The storage is read-only", and an admin retry finishes it', async () => {
    await failUnder(
      'readonly',
      () => store.readOnly(),
      () => store.readWrite(),
      /The storage is read-only/,
    );
  }, 150_000);
});
