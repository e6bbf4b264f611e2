/**
 * Fault: the origin is killed (-9) in the middle of a tus PATCH, then restarted (issue 16,
 * uploads). The client resumes from the offset the new process reports, and the stored source is
 * byte-identical to the file: nothing lost, nothing doubled.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/edge/load.js';
import { killGroup, spawnTier, waitFor } from '../support/stack.js';
import { type PostgresCluster, startPostgresCluster } from './postgres-cluster.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vidra-fault-tus-'));
const storageDir = path.join(dir, 'storage');
let pg: PostgresCluster;
let port: number;
let url: string;
let origin: ReturnType<typeof spawnTier>;
const file = randomBytes(12 * 1024 * 1024);

async function startOrigin() {
  origin = spawnTier(['node', '--import', 'tsx', 'origin/src/main.ts'], {
    DATABASE_URL: pg.url,
    DATA_DIR: path.join(dir, 'origin'),
    STORAGE_DIR: storageDir,
    UPLOAD_DIR: path.join(dir, 'uploads'),
    PORT: String(port),
    LOG_LEVEL: 'warn',
    SCRYPT_LOG2_N: '10',
  });
  await waitFor(
    async () => ((await fetch(`${url}/healthz`).catch(() => undefined))?.ok ? true : undefined),
    60_000,
    () => origin.output(),
  );
}

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

beforeAll(async () => {
  pg = await startPostgresCluster();
  port = await freePort();
  url = `http://127.0.0.1:${port}`;
  await startOrigin();
}, 90_000);

afterAll(async () => {
  if (origin) await killGroup(origin.child);
  await pg?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('origin SIGKILL during a tus PATCH', () => {
  it('resumes from the reported offset after the restart, and the stored source is byte-identical', async () => {
    const post = (route: string, body: unknown, token?: string) =>
      fetch(`${url}${route}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      }).then((res) => res.json());
    const credentials = {
      email: 'uploader@example.com',
      username: 'uploader',
      password: 'pw-uploader-long-enough',
    };
    await post('/api/v1/auth/register', credentials);
    const token = (await post('/api/v1/auth/login', credentials)).accessToken as string;
    const channel = await post('/api/v1/channels', { handle: 'uploads', displayName: 'Uploads' }, token);
    const videoId = (await post('/api/v1/videos', { channelId: channel.id, title: 'Killed upload' }, token))
      .video.id as string;
    const tus = { 'tus-resumable': '1.0.0', authorization: `Bearer ${token}` };
    const created = await fetch(`${url}/api/v1/uploads`, {
      method: 'POST',
      headers: {
        ...tus,
        'upload-length': String(file.length),
        'upload-metadata': `videoId ${Buffer.from(videoId).toString('base64')},filename ${Buffer.from('big.bin').toString('base64')}`,
      },
    });
    expect(created.status).toBe(201);
    const uploadUrl = new URL(created.headers.get('location') as string, url).toString();

    // One PATCH of the whole file, sent slowly; the origin dies a third of the way through.
    let sent = 0;
    const chunk = 256 * 1024;
    const killAt = Math.floor(file.length / 3);
    let killed = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= file.length) return controller.close();
        if (sent >= killAt && !killed) {
          killed = true;
          await killGroup(origin.child);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
        controller.enqueue(file.subarray(sent, sent + chunk));
        sent += chunk;
      },
    });
    const interrupted = await fetch(uploadUrl, {
      method: 'PATCH',
      headers: { ...tus, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
      body,
      duplex: 'half',
    } as RequestInit).then(
      (res) => res.status,
      () => 'connection lost' as const,
    );
    expect(killed).toBe(true);
    expect(interrupted).not.toBe(204);

    await startOrigin();
    const head = await fetch(uploadUrl, { method: 'HEAD', headers: tus });
    expect(head.status).toBe(200);
    const offset = Number(head.headers.get('upload-offset'));
    console.log(`origin killed after ${killAt} bytes sent; the restarted origin kept ${offset}`);
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(killAt + chunk);

    const resumed = await fetch(uploadUrl, {
      method: 'PATCH',
      headers: { ...tus, 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) },
      body: file.subarray(offset),
    });
    expect(resumed.status).toBe(204);

    // The stored source is exactly the file.
    const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    const stored = await waitFor(
      async () =>
        filesUnder(storageDir).find((candidate) => statSync(candidate).size === file.length) ?? undefined,
      20_000,
      () => `no stored source in ${filesUnder(storageDir).join(', ')}\n${origin.output()}`,
    );
    expect(digest(readFileSync(stored))).toBe(digest(file));
    const video = await fetch(`${url}/api/v1/videos/${videoId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await video.json()) as { state: string }).state).toBe('queued');
  }, 120_000);
});
