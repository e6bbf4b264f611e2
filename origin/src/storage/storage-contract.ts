import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidKeyError, RangeNotSatisfiableError, StorageError } from './errors.js';
import type { Storage, StoredObject } from './types.js';

/**
 * The behaviour every backend must share, run by `local.test.ts` and `s3.test.ts` against real
 * storage (a temp directory, a real S3-compatible server). Each test writes under its own random
 * prefix so tests stay independent on one store.
 */

/** Keys that must be refused by every method. */
export const BAD_KEYS = [
  '',
  '../x',
  'a/../../b',
  '/abs',
  'a\\b',
  'a//b',
  'a/',
  './a',
  'a/./b',
  'a\u0000b',
  'x'.repeat(513),
];

export const space = () => `t/${randomUUID().slice(0, 8)}/`;
export const bytesOf = async (stream: ReadableStream<Uint8Array>) =>
  new Uint8Array(await new Response(stream).arrayBuffer());
export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A stream that hands out `bytes` in `chunk`-sized pieces on demand, with no length known up front. */
export function chunked(bytes: Uint8Array, chunk: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
}

async function read(object: StoredObject | undefined): Promise<string> {
  expect(object).toBeDefined();
  return new TextDecoder().decode(await bytesOf((object as StoredObject).body));
}

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

    it('refuses a body whose length differs from contentLength', async () => {
      const s = space();
      await expect(storage.put(`${s}a`, 'abc', { contentLength: 4 })).rejects.toThrow(/contentLength/);
      expect(await storage.exists(`${s}a`)).toBe(false);
      // Whether a cut-short stream leaves anything is the server's business (S3 stores nothing,
      // s3rver keeps an empty object), so only the rejection is common ground.
      await expect(
        storage.put(`${s}b`, chunked(new Uint8Array(10), 4), { contentLength: 20 }),
      ).rejects.toThrow(StorageError);
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

  describe('ranges', () => {
    const data = new TextEncoder().encode('0123456789abcdefghijklmnopqrstuvwxyz');
    let key: string;
    beforeAll(async () => {
      key = `${space()}range.bin`;
      await storage.put(key, data);
    });
    const cases: Array<[string, { start: number; end?: number }, string]> = [
      ['first bytes', { start: 0, end: 9 }, '0123456789'],
      ['the middle', { start: 10, end: 15 }, 'abcdef'],
      ['one byte', { start: 35, end: 35 }, 'z'],
      ['open-ended', { start: 30 }, 'uvwxyz'],
      ['an end past the last byte, clamped', { start: 33, end: 1000 }, 'xyz'],
    ];
    for (const [name, range, expected] of cases) {
      it(`reads ${name}`, async () => {
        const object = await storage.get(key, { range });
        expect(await read(object)).toBe(expected);
        expect(object?.size).toBe(expected.length);
        expect(object?.totalSize).toBe(36);
        expect(object?.range).toEqual({ start: range.start, end: range.start + expected.length - 1 });
      });
    }

    it('throws RangeNotSatisfiableError for ranges outside the object or malformed', async () => {
      for (const range of [
        { start: 36 },
        { start: 500, end: 600 },
        { start: 5, end: 4 },
        { start: -1 },
        { start: 1.5 },
      ]) {
        await expect(storage.get(key, { range }), JSON.stringify(range)).rejects.toBeInstanceOf(
          RangeNotSatisfiableError,
        );
      }
      const empty = `${space()}empty`;
      await storage.put(empty, '');
      await expect(storage.get(empty, { range: { start: 0 } })).rejects.toBeInstanceOf(
        RangeNotSatisfiableError,
      );
    });

    it('reports the total size when the range starts past the end', async () => {
      const error = await storage.get(key, { range: { start: 40 } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RangeNotSatisfiableError);
      expect((error as RangeNotSatisfiableError).totalSize).toBe(36);
    });
  });

  describe('missing objects', () => {
    it('get, head and exists report absence without throwing', async () => {
      const s = space();
      await storage.put(`${s}dir/file`, 'x');
      for (const key of [`${s}missing`, `${s}dir`]) {
        expect(await storage.get(key)).toBeUndefined();
        expect(await storage.get(key, { range: { start: 0 } })).toBeUndefined();
        expect(await storage.head(key)).toBeUndefined();
        expect(await storage.exists(key)).toBe(false);
      }
      expect(await storage.exists(`${s}dir/file`)).toBe(true);
      expect(await storage.head(`${s}dir/file`)).toEqual({
        size: 1,
        contentType: 'application/octet-stream',
      });
    });
  });

  describe('list and deletePrefix', () => {
    it('lists keys under a prefix, sorted, with S3 string-prefix semantics', async () => {
      const s = space();
      const keys = [
        `${s}videos/ab/hls/master.m3u8`,
        `${s}videos/ab/thumbnail.jpg`,
        `${s}videos/abc/x`,
        `${s}videos/b/y`,
      ];
      for (const key of [...keys].reverse()) await storage.put(key, 'x');
      expect(await storage.list(`${s}videos/ab/`)).toEqual(keys.slice(0, 2));
      expect(await storage.list(`${s}videos/ab`)).toEqual(keys.slice(0, 3));
      expect(await storage.list(s)).toEqual(keys);
      expect(await storage.list(`${s}nothing/`)).toEqual([]);
      expect(await storage.list('')).toEqual(expect.arrayContaining(keys));
    });

    it(`lists and deletes ${options.manyKeys} keys, past one 1000-key page`, async () => {
      const s = space();
      const keys = Array.from(
        { length: options.manyKeys },
        (_, i) => `${s}many/seg_${String(i).padStart(5, '0')}.m4s`,
      );
      for (let i = 0; i < keys.length; i += 25) {
        await Promise.all(keys.slice(i, i + 25).map((key) => storage.put(key, 'x')));
      }
      expect(await storage.list(`${s}many/`)).toEqual(keys);
      expect(await storage.deletePrefix(`${s}many/`)).toBe(keys.length);
      expect(await storage.list(s)).toEqual([]);
    });

    it('deletes only the given prefix, not a sibling that shares its text', async () => {
      const s = space();
      await storage.put(`${s}videos/ab/hls/master.m3u8`, 'x');
      await storage.put(`${s}videos/ab/thumbnail.jpg`, 'x');
      await storage.put(`${s}videos/abc/thumbnail.jpg`, 'x');
      await storage.put(`${s}videos/a/thumbnail.jpg`, 'x');
      expect(await storage.deletePrefix(`${s}videos/ab/`)).toBe(2);
      expect(await storage.list(s)).toEqual([`${s}videos/a/thumbnail.jpg`, `${s}videos/abc/thumbnail.jpg`]);
      expect(await storage.deletePrefix(`${s}videos/ab/`)).toBe(0);
      expect(await storage.get(`${s}videos/abc/thumbnail.jpg`)).toBeDefined();
    });

    it('refuses prefixes that could delete more than one folder', async () => {
      const s = space();
      await storage.put(`${s}keep`, 'x');
      for (const prefix of ['', '/', 't', s.slice(0, -1), '../', `${s}../`, '//', `${s}a//`]) {
        await expect(storage.deletePrefix(prefix), prefix).rejects.toBeInstanceOf(InvalidKeyError);
      }
      expect(await storage.exists(`${s}keep`)).toBe(true);
    });
  });

  describe('key validation', () => {
    it('every method refuses keys that could escape or be read two ways', async () => {
      const file = join(scratch, 'f');
      await writeFile(file, 'x');
      for (const key of BAD_KEYS) {
        const calls = [
          () => storage.put(key, 'x'),
          () => storage.putFile(key, file),
          () => storage.get(key),
          () => storage.head(key),
          () => storage.exists(key),
          () => storage.presignGet(key, { expiresInSeconds: 60 }),
        ];
        for (const call of calls)
          await expect(call(), JSON.stringify(key)).rejects.toBeInstanceOf(InvalidKeyError);
      }
      for (const prefix of ['../', '/abs', 'a\\b', 'a//']) {
        await expect(storage.list(prefix)).rejects.toBeInstanceOf(InvalidKeyError);
      }
    });

    it('refuses presign lifetimes outside 1 second to 7 days', async () => {
      for (const expiresInSeconds of [0, -5, 1.5, 7 * 24 * 3600 + 1]) {
        await expect(storage.presignGet('a/b', { expiresInSeconds })).rejects.toBeInstanceOf(RangeError);
      }
    });
  });
}
