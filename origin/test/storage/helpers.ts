import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { StoredObject } from '../../src/storage/types.js';

/** Helpers shared by the storage tests and the contract suite. */

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

export async function read(object: StoredObject | undefined): Promise<string> {
  expect(object).toBeDefined();
  return new TextDecoder().decode(await bytesOf((object as StoredObject).body));
}
