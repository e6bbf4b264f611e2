import { describe, expect, it } from 'vitest';
import { bytesOf, chunked } from '../../test/storage/helpers.js';
import { checkExpiry, exactLength, fixedChunks, resolveRange, streamOf } from './bytes.js';
import { RangeNotSatisfiableError, StorageError } from './errors.js';

async function collect(stream: ReadableStream<Uint8Array>, size: number): Promise<number[][]> {
  const parts: number[][] = [];
  for await (const part of fixedChunks(stream, size)) parts.push([...part]);
  return parts;
}

describe('fixedChunks', () => {
  const data = Uint8Array.from({ length: 10 }, (_, i) => i);

  it('re-cuts any chunking into parts of exactly the given size, the last one shorter', async () => {
    for (const chunk of [1, 3, 4, 10]) {
      expect(await collect(chunked(data, chunk), 4)).toEqual([
        [0, 1, 2, 3],
        [4, 5, 6, 7],
        [8, 9],
      ]);
    }
  });

  it('yields one empty part for an empty stream and no empty tail for an exact multiple', async () => {
    expect(await collect(streamOf(new Uint8Array(0)), 4)).toEqual([[]]);
    expect(await collect(chunked(data, 3), 5)).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9],
    ]);
  });

  it('cancels the source when the consumer stops early', async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new Uint8Array(3)),
      cancel: () => {
        cancelled = true;
      },
    });
    for await (const part of fixedChunks(endless, 4)) {
      expect(part.byteLength).toBe(4);
      break;
    }
    expect(cancelled).toBe(true);
  });
});

describe('resolveRange', () => {
  it('clamps the end and fills in an open end', () => {
    expect(resolveRange({ start: 2 }, 10)).toEqual({ start: 2, end: 9 });
    expect(resolveRange({ start: 2, end: 99 }, 10)).toEqual({ start: 2, end: 9 });
    expect(resolveRange({ start: 9, end: 9 }, 10)).toEqual({ start: 9, end: 9 });
  });

  it('throws with the total size when the range cannot be served', () => {
    expect(() => resolveRange({ start: 10 }, 10)).toThrow(RangeNotSatisfiableError);
    expect(() => resolveRange({ start: 0 }, 0)).toThrow(/for 0 bytes/);
    expect(() => resolveRange({ start: 3, end: 2 }, 10)).toThrow(RangeNotSatisfiableError);
    expect(() => resolveRange({ start: Number.NaN }, 10)).toThrow(RangeNotSatisfiableError);
  });
});

describe('checkExpiry', () => {
  it('accepts 1 second to 7 days', () => {
    expect(checkExpiry(1)).toBe(1);
    expect(checkExpiry(604_800)).toBe(604_800);
    expect(() => checkExpiry(604_801)).toThrow(RangeError);
    expect(() => checkExpiry(0)).toThrow(RangeError);
  });
});

describe('exactLength', () => {
  const data = Uint8Array.from({ length: 12 }, (_, i) => i);

  it('passes through a body of exactly the declared length', async () => {
    expect(await bytesOf(exactLength(chunked(data, 5), 12))).toEqual(data);
    expect(await bytesOf(exactLength(streamOf(new Uint8Array(0)), 0))).toEqual(new Uint8Array(0));
  });

  it('fails a short body at its end and a long one before the declared last byte is handed on', async () => {
    await expect(bytesOf(exactLength(chunked(data, 5), 13))).rejects.toThrow(StorageError);
    for (const chunk of [3, 4, 5, 12]) {
      const reader = exactLength(chunked(data, chunk), 8).getReader();
      let delivered = 0;
      const error = await (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return undefined;
          delivered += value.byteLength;
        }
      })().catch((e: unknown) => e);
      expect(error, `chunk ${chunk}`).toBeInstanceOf(StorageError);
      expect(delivered, `chunk ${chunk}`).toBeLessThan(8);
    }
  });
});
