import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { BackupManifestSchema } from '../../scripts/backup/manifest.js';
import { apiUser, type RunningPlatform, startPlatform } from '../support/platform.js';
import { generateClip, ROOT, waitFor } from '../support/stack.js';
import { uploadWhole } from '../support/tus.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** `npm run backup`/`restore` as an operator runs them: their own process, the instance's environment. */
function runScript(script: 'backup' | 'restore', folder: string, env: Record<string, string>) {
  const { DATABASE_URL: _unset, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', `scripts/backup/${script}.ts`, folder], {
    cwd: ROOT,
    env: { ...inherited, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, output })),
  );
}

async function stopKeepingData(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

/** A database of its own on the shared PostgreSQL, dropped afterwards. */
async function freshDatabase(label: string): Promise<string> {
  const base = process.env.DATABASE_URL_TEST ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `vidra_backup_${label}_${process.pid}_${Date.now() % 100_000}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const sql = postgres(base, { max: 1, onnotice: () => {} });
    await sql.unsafe(`drop database if exists ${name} with (force)`);
    await sql.end();
  });
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Master -> first variant's playlist -> its init segment and first segment, all through the edge. */
async function playThroughEdge(hls: string) {
  const master = await fetch(hls);
  expect(master.status).toBe(200);
  const masterText = await master.text();
  const variant = masterText.split('\n').find((line) => line && !line.startsWith('#')) as string;
  const media = await fetch(new URL(variant, hls));
  expect(media.status).toBe(200);
  const mediaText = await media.text();
  const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(mediaText)?.[1] as string;
  const segment = mediaText.split('\n').find((line) => line && !line.startsWith('#')) as string;
  const initRes = await fetch(new URL(init, new URL(variant, hls)));
  const segmentRes = await fetch(new URL(segment, new URL(variant, hls)));
  expect(initRes.status).toBe(200);
  expect(segmentRes.status).toBe(200);
  return {
    masterText,
    variant,
    segment,
    segmentBytes: new Uint8Array(await segmentRes.arrayBuffer()),
    initBytes: new Uint8Array(await initRes.arrayBuffer()),
  };
}

const MODES = [
  { name: 'embedded PGlite (npm start default)', postgres: false },
  { name: 'PostgreSQL', postgres: true },
] as const;

describe.each(MODES)('npm run backup, then npm run restore: $name', (mode) => {
  it('restores an instance with a ready video into a fresh data folder and database, and plays it through the edge', async () => {
    const sourceEnv: Record<string, string> = mode.postgres
      ? { DATABASE_URL: await freshDatabase('src') }
      : {};
    const source: RunningPlatform = await startPlatform(sourceEnv);
    cleanups.push(() => source.stop());
    const owner = await apiUser(source.edgeUrl, 'keeperowner');
    const channel = await owner.call('POST', '/api/v1/channels', { handle: 'keeper', displayName: 'Keeper' });
    const created = await owner.call('POST', '/api/v1/videos', { channelId: channel.id, title: 'Kept safe' });
    const videoId = created.video.id as string;
    const clip = await generateClip(path.join(tempDir('vidra-clip-'), 'clip.mp4'), {
      width: 320,
      height: 240,
      seconds: 2,
    });
    const { completed } = await uploadWhole(readFileSync(clip), {
      endpoint: `${source.edgeUrl}/api/v1/uploads`,
      token: owner.token,
      videoId,
    });
    expect(completed).toBe(true);
    await waitFor(
      async () => {
        const video = await owner.call('GET', `/api/v1/videos/${videoId}`);
        return video.state === 'ready' && video.progress === 100 ? video : undefined;
      },
      90_000,
      source.output,
    );
    const before = await owner.call('POST', `/api/v1/videos/${videoId}/playback`);
    const played = await playThroughEdge(before.hls);

    const backupDir = path.join(tempDir('vidra-backups-'), 'b1');
    const backupEnv = { DATA_DIR: source.dataDir, ...sourceEnv };
    if (!mode.postgres) {
      // PGlite serves one process: a backup while npm start holds the database is refused.
      const refused = await runScript('backup', backupDir, backupEnv);
      expect(refused.code).toBe(1);
      expect(refused.output).toMatch(/in use by process \d+.*stop npm start/);
    }
    await stopKeepingData(source.child);
    const backedUp = await runScript('backup', backupDir, backupEnv);
    expect(backedUp.output).toMatch(/Backed up .* 1 videos and \d+ storage objects/);
    expect(backedUp.code).toBe(0);

    const manifest = BackupManifestSchema.parse(
      JSON.parse(readFileSync(path.join(backupDir, 'manifest.json'), 'utf8')),
    );
    expect(manifest.database.driver).toBe(mode.postgres ? 'postgres' : 'pglite');
    expect(manifest.storage).toMatchObject({ driver: 'local', copied: true, videos: 1 });
    const keys = manifest.storage.objects.map((object) => object.key);
    expect(keys).toContain(`sources/${videoId}/original`);
    expect(keys).toContain(`videos/${videoId}/hls/master.m3u8`);
    const source_ = manifest.storage.objects.find((object) => object.key === `sources/${videoId}/original`);
    expect(source_?.sha256).toBe(sha256(readFileSync(clip)));
    const segmentKey = `videos/${videoId}/hls/${new URL(played.segment, new URL(played.variant, 'http://x/hls/')).pathname.slice('/hls/'.length)}`;
    expect(manifest.storage.objects.find((object) => object.key === segmentKey)?.sha256).toBe(
      sha256(played.segmentBytes),
    );
    expect(statSync(path.join(backupDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(statSync(backupDir).mode & 0o777).toBe(0o700);

    // A fresh instance: new data folder, new database.
    const targetDir = tempDir('vidra-restored-');
    const targetEnv: Record<string, string> = {
      DATA_DIR: targetDir,
      ...(mode.postgres ? { DATABASE_URL: await freshDatabase('dst') } : {}),
    };
    const restored = await runScript('restore', backupDir, targetEnv);
    expect(restored.output).toMatch(/Restored 1 videos and \d+ storage objects/);
    expect(restored.code).toBe(0);
    const again = await runScript('restore', backupDir, targetEnv);
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/is not empty/);
    expect(again.output).not.toMatch(/\n\s+at /);

    const target = await startPlatform(targetEnv);
    cleanups.push(() => target.stop());
    // The access token issued before the backup still verifies: the ES256 keys came back.
    const me = await fetch(`${target.edgeUrl}/api/v1/users/me`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(me.status).toBe(200);
    expect((await me.json()).username).toBe('keeperowner');
    // A playback URL signed before the backup still plays: the playback keys came back.
    const oldUrl = before.hls.replace(source.edgeUrl, target.edgeUrl);
    expect((await fetch(oldUrl)).status).toBe(200);
    // Signing in again (the password hash came back) and playing through the edge, byte for byte.
    const login = await fetch(`${target.edgeUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'keeperowner@example.com', password: 'a long password' }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = await login.json();
    const playback = await fetch(`${target.edgeUrl}/api/v1/videos/${videoId}/playback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(playback.status).toBe(200);
    const after = await playThroughEdge((await playback.json()).hls);
    expect(after.masterText).toBe(played.masterText);
    expect(sha256(after.segmentBytes)).toBe(sha256(played.segmentBytes));
    expect(sha256(after.initBytes)).toBe(sha256(played.initBytes));
  }, 420_000);
});
