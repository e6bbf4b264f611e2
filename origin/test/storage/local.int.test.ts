import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidKeyError } from '../../src/storage/errors.js';
import { createLocalStorage } from '../../src/storage/local.js';
import { verifyLocalPresign } from '../../src/storage/local-presign.js';
import type { Storage } from '../../src/storage/types.js';
import { storageContract } from './contract.js';
import { bytesOf } from './helpers.js';

const SECRET = 'local-storage-test-secret';
let root: string;
let outside: string;
let storage: Storage;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vidra-local-storage-'));
  outside = await mkdtemp(join(tmpdir(), 'vidra-outside-'));
  storage = createLocalStorage({ root, publicBaseUrl: 'https://video.example/', secret: SECRET });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('local storage contract', () => {
  storageContract(() => storage, { manyKeys: 1005 });
});

describe('local storage on disk', () => {
  it('keeps objects at <root>/objects/<key> and leaves no temp files behind', async () => {
    await storage.put('videos/v1/hls/master.m3u8', '#EXTM3U\n');
    expect(await readFile(join(root, 'objects/videos/v1/hls/master.m3u8'), 'utf8')).toBe('#EXTM3U\n');
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('keeps the previous version and no temp file when a write fails half-way', async () => {
    await storage.put('videos/v2/thumbnail.jpg', 'old');
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1, 2, 3]));
        controller.error(new Error('upload connection lost'));
      },
    });
    await expect(storage.put('videos/v2/thumbnail.jpg', failing)).rejects.toThrow('upload connection lost');
    expect(await readFile(join(root, 'objects/videos/v2/thumbnail.jpg'), 'utf8')).toBe('old');
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('refuses a secret too short to be one', () => {
    expect(() => createLocalStorage({ root, publicBaseUrl: 'http://x', secret: 'short' })).toThrow(/16/);
  });
});

describe('local storage symlinks', () => {
  beforeAll(async () => {
    await writeFile(join(outside, 'secret.txt'), 'outside data');
    await mkdir(join(root, 'objects/links'), { recursive: true });
    await symlink(outside, join(root, 'objects/links/dir'));
    await symlink(join(outside, 'secret.txt'), join(root, 'objects/links/file'));
  });

  it('will not read through a symlink that leaves the root', async () => {
    await expect(storage.get('links/dir/secret.txt')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(storage.get('links/file')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(storage.head('links/file')).rejects.toBeInstanceOf(InvalidKeyError);
  });

  it('will not write or delete through one', async () => {
    await expect(storage.put('links/dir/new.txt', 'x')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(storage.put('links/dir/sub/new.txt', 'x')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(storage.deletePrefix('links/dir/')).rejects.toBeInstanceOf(InvalidKeyError);
    expect((await readdir(outside)).sort()).toEqual(['secret.txt']);
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('outside data');
  });

  it('does not follow symlinks when listing', async () => {
    await storage.put('links/real.txt', 'x');
    expect(await storage.list('links/')).toEqual(['links/real.txt']);
  });
});

describe('local presigned URLs', () => {
  const now = Date.UTC(2026, 10, 22, 12, 0, 0);
  let signed: Storage;
  beforeAll(() => {
    signed = createLocalStorage({
      root: join(root, 'signed'),
      publicBaseUrl: 'https://video.example/',
      secret: SECRET,
      clock: () => now,
    });
  });

  async function parts(key: string, expiresInSeconds = 300) {
    const url = new URL(await signed.presignGet(key, { expiresInSeconds }));
    const path = decodeURIComponent(url.pathname.replace(/^\/storage\//, ''));
    return {
      url,
      key: path,
      expires: url.searchParams.get('expires') ?? '',
      sig: url.searchParams.get('sig') ?? '',
    };
  }

  it('points at /storage/<key> on the public base URL, with the key percent-encoded', async () => {
    const { url, key, expires } = await parts('videos/v 1/hls/master.m3u8');
    expect(url.origin).toBe('https://video.example');
    expect(url.pathname).toBe('/storage/videos/v%201/hls/master.m3u8');
    expect(key).toBe('videos/v 1/hls/master.m3u8');
    expect(Number(expires)).toBe(now / 1000 + 300);
  });

  it('verifies until the expiry and not after', async () => {
    const { key, expires, sig } = await parts('videos/v1/thumbnail.jpg', 60);
    expect(verifyLocalPresign(SECRET, key, expires, sig, now)).toBe(true);
    expect(verifyLocalPresign(SECRET, key, Number(expires), sig, now + 60_000)).toBe(true);
    expect(verifyLocalPresign(SECRET, key, expires, sig, now + 61_000)).toBe(false);
  });

  it('rejects tampered keys, expiries, signatures and secrets', async () => {
    const { key, expires, sig } = await parts('videos/v1/thumbnail.jpg');
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    expect(verifyLocalPresign(SECRET, 'videos/v2/thumbnail.jpg', expires, sig, now)).toBe(false);
    expect(verifyLocalPresign(SECRET, key, String(Number(expires) + 3600), sig, now)).toBe(false);
    expect(verifyLocalPresign(SECRET, key, `${expires}.0`, sig, now)).toBe(false);
    expect(verifyLocalPresign(SECRET, key, expires, flipped, now)).toBe(false);
    expect(verifyLocalPresign(SECRET, key, expires, '', now)).toBe(false);
    expect(verifyLocalPresign(`${SECRET}-other`, key, expires, sig, now)).toBe(false);
    expect(verifyLocalPresign(SECRET, '../etc/passwd', expires, sig, now)).toBe(false);
  });

  it('a URL signed in the past for a short time is expired now', async () => {
    const old = createLocalStorage({
      root,
      publicBaseUrl: 'https://video.example',
      secret: SECRET,
      clock: () => Date.now() - 3_600_000,
    });
    const url = new URL(await old.presignGet('videos/v1/thumbnail.jpg', { expiresInSeconds: 60 }));
    const [expires, sig] = [url.searchParams.get('expires') ?? '', url.searchParams.get('sig') ?? ''];
    expect(verifyLocalPresign(SECRET, 'videos/v1/thumbnail.jpg', expires, sig)).toBe(false);
    expect(verifyLocalPresign(SECRET, 'videos/v1/thumbnail.jpg', expires, sig, Date.now() - 3_600_000)).toBe(
      true,
    );
    await storage.put('videos/v1/thumbnail.jpg', 'jpg');
    expect(
      new TextDecoder().decode(
        await bytesOf((await storage.get('videos/v1/thumbnail.jpg'))?.body ?? new Blob().stream()),
      ),
    ).toBe('jpg');
  });
});
