import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidKeyError } from '../../src/storage/errors.js';
import { createLocalStorage } from '../../src/storage/local.js';
import type { Storage } from '../../src/storage/types.js';
import { storageContract } from './contract.js';

let root: string;
let outside: string;
let storage: Storage;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vidra-local-storage-'));
  outside = await mkdtemp(join(tmpdir(), 'vidra-outside-'));
  storage = createLocalStorage({ root });
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
