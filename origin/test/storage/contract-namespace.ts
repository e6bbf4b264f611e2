import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidKeyError, RangeNotSatisfiableError } from '../../src/storage/errors.js';
import type { Storage } from '../../src/storage/types.js';
import { BAD_KEYS, read, space } from './helpers.js';

/**
 * The second half of the shared contract (see `storageContract`): ranges, absence, listing,
 * deletion and key validation. Called from inside `storageContract`, never on its own.
 */
export function namespaceContract(
  getStorage: () => Storage,
  getScratch: () => string,
  options: { manyKeys: number },
) {
  let storage: Storage;
  let scratch: string;
  beforeAll(() => {
    storage = getStorage();
    scratch = getScratch();
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
        const calls: Array<() => Promise<unknown>> = [
          () => storage.put(key, 'x'),
          () => storage.putFile(key, file),
          () => storage.get(key),
          () => storage.head(key),
          () => storage.exists(key),
        ];
        const presign = storage.presignGet?.bind(storage);
        if (presign) calls.push(() => presign(key, { expiresInSeconds: 60 }));
        for (const call of calls)
          await expect(call(), JSON.stringify(key)).rejects.toBeInstanceOf(InvalidKeyError);
      }
      for (const prefix of ['../', '/abs', 'a\\b', 'a//']) {
        await expect(storage.list(prefix)).rejects.toBeInstanceOf(InvalidKeyError);
      }
    });

    it('refuses presign lifetimes outside 1 second to 7 days', async () => {
      for (const expiresInSeconds of [0, -5, 1.5, 7 * 24 * 3600 + 1]) {
        const presign = storage.presignGet?.bind(storage);
        if (presign) await expect(presign('a/b', { expiresInSeconds })).rejects.toBeInstanceOf(RangeError);
      }
    });
  });
}
