import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageError } from '../../src/storage/errors.js';
import type { Storage, StoredObject } from '../../src/storage/types.js';
import { namespaceContract } from './contract-namespace.js';
import { bytesOf, chunked, read, sha256, space } from './helpers.js';

/**
 * The behaviour every backend must share, run by `local.test.ts` and `s3.test.ts` against real
 * storage (a temp directory, a real S3-compatible server). Each test writes under its own random
 * prefix so tests stay independent on one store. This half covers writing and reading whole
 * objects; `namespaceContract` the rest.
 */
export function storageContract(getStorage: () => Storage, options: { manyKeys: number }) {
  let storage: Storage;
  let scratch: string;
  beforeAll(async () => {
    storage = getStorage();
    scratch = await mkdtemp(join(tmpdir(), 'vidra-contract-'));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  describe('put and get', () => {
    it('round-trips strings and bytes, reporting sizes', async () => {
      const s = space();
      await storage.put(`${s}hello.txt`, 'héllo wörld');
      await storage.put(`${s}bytes.bin`, new Uint8Array([0, 1, 2, 255]));
      const text = await storage.get(`${s}hello.txt`);
      expect(text?.size).toBe(13);
      expect(text?.totalSize).toBe(13);
      expect(text?.range).toBeUndefined();
      expect(await read(text)).toBe('héllo wörld');
      const bin = await storage.get(`${s}bytes.bin`);
      expect(await bytesOf((bin as StoredObject).body)).toEqual(new Uint8Array([0, 1, 2, 255]));
      expect(bin?.etag).toMatch(/^".+"$/);
    });

    it('round-trips a 3 MB stream of unknown length and one with contentLength', async () => {
      const s = space();
      const data = randomBytes(3 * 1024 * 1024 + 7);
      await storage.put(`${s}unknown.bin`, chunked(data, 64 * 1024 + 3));
      await storage.put(`${s}known.bin`, chunked(data, 1000_003), { contentLength: data.byteLength });
      for (const name of ['unknown.bin', 'known.bin']) {
        const object = await storage.get(`${s}${name}`);
        expect(object?.size).toBe(data.byteLength);
        expect(sha256(await bytesOf((object as StoredObject).body))).toBe(sha256(data));
      }
    });

    it('round-trips a stream larger than one 8 MiB upload part', async () => {
      const s = space();
      const data = randomBytes(9 * 1024 * 1024 + 123);
      await storage.put(`${s}big.mp4`, chunked(data, 256 * 1024));
      const object = await storage.get(`${s}big.mp4`);
      expect(object?.totalSize).toBe(data.byteLength);
      expect(sha256(await bytesOf((object as StoredObject).body))).toBe(sha256(data));
      expect(object?.contentType).toBe('video/mp4');
    });

    it('stores empty objects', async () => {
      const s = space();
      await storage.put(`${s}empty`, '');
      const object = await storage.get(`${s}empty`);
      expect(object?.size).toBe(0);
      expect(await read(object)).toBe('');
    });

    it('refuses a body whose length differs from contentLength and stores nothing', async () => {
      const s = space();
      await expect(storage.put(`${s}a`, 'abc', { contentLength: 4 })).rejects.toThrow(/contentLength/);
      expect(await storage.exists(`${s}a`)).toBe(false);
      // Too short, and too long with the excess in a later chunk, at a chunk boundary, or mid-chunk.
      const streams: Array<[number, number, number]> = [
        [10, 4, 20],
        [20, 5, 10],
        [20, 10, 10],
        [20, 3, 10],
      ];
      for (const [size, chunk, contentLength] of streams) {
        const key = `${s}${size}-${chunk}`;
        const put = storage.put(key, chunked(new Uint8Array(size), chunk), { contentLength });
        await expect(put, key).rejects.toThrow(StorageError);
        expect(await storage.exists(key), key).toBe(false);
      }
    });

    it('keeps explicit content types and cache control, and derives the rest from the extension', async () => {
      const s = space();
      await storage.put(`${s}original`, 'x', {
        contentType: 'video/webm',
        cacheControl: 'private, max-age=60',
      });
      const expected: Record<string, string> = {
        'master.m3u8': 'application/vnd.apple.mpegurl',
        'seg_00001.m4s': 'video/iso.segment',
        'init.mp4': 'video/mp4',
        'thumbnail.jpg': 'image/jpeg',
        'storyboard.vtt': 'text/vtt',
        'info.json': 'application/json',
        'blob.xyz': 'application/octet-stream',
      };
      for (const name of Object.keys(expected)) await storage.put(`${s}${name}`, 'x');
      const original = await storage.get(`${s}original`);
      expect(original?.contentType).toBe('video/webm');
      expect(original?.cacheControl).toBe('private, max-age=60');
      await read(original);
      expect((await storage.head(`${s}original`))?.contentType).toBe('video/webm');
      for (const [name, type] of Object.entries(expected)) {
        expect((await storage.head(`${s}${name}`))?.contentType, name).toBe(type);
      }
    });

    it('replaces an object and its content type on overwrite', async () => {
      const s = space();
      await storage.put(`${s}v.json`, 'old', { contentType: 'text/plain' });
      await storage.put(`${s}v.json`, '{"new":true}');
      const object = await storage.get(`${s}v.json`);
      expect(object?.contentType).toBe('application/json');
      expect(await read(object)).toBe('{"new":true}');
    });

    it('handles keys with spaces, unicode and URL-special characters', async () => {
      const s = space();
      const key = `${s}a b&c+d=e%f'(g)ü.vtt`;
      await storage.put(key, 'WEBVTT');
      expect(await read(await storage.get(key))).toBe('WEBVTT');
      expect(await storage.list(s)).toEqual([key]);
      expect(await storage.list(`${s}a b&c+`)).toEqual([key]);
      expect(await storage.list(`${s}a+b`)).toEqual([]);
    });

    it('streams a file from disk with putFile', async () => {
      const s = space();
      const data = randomBytes(2 * 1024 * 1024 + 11);
      const file = join(scratch, 'source.mp4');
      await writeFile(file, data);
      await storage.putFile(`${s}from-disk.mp4`, file);
      await storage.putFile(`${s}original`, file, { contentType: 'video/quicktime' });
      const object = await storage.get(`${s}from-disk.mp4`);
      expect(object?.contentType).toBe('video/mp4');
      expect(sha256(await bytesOf((object as StoredObject).body))).toBe(sha256(data));
      expect(await storage.head(`${s}original`)).toEqual({
        size: data.byteLength,
        contentType: 'video/quicktime',
      });
      await expect(storage.putFile(`${s}nope`, join(scratch, 'missing.mp4'))).rejects.toThrow();
    });
  });

  namespaceContract(
    () => storage,
    () => scratch,
    options,
  );
}
