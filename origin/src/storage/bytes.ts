import { RangeNotSatisfiableError, StorageError } from './errors.js';
import type { ByteRange, StorageBody } from './types.js';

/** S3 refuses presigned URLs that live longer than 7 days; the local backend follows suit. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 60 * 60;

/** Reject ranges that no object could satisfy, before touching the disk or the network. */
export function checkRange(range: ByteRange): void {
  const { start, end } = range;
  const bad = (n: number) => !Number.isSafeInteger(n) || n < 0;
  if (bad(start) || (end !== undefined && (bad(end) || end < start))) {
    throw new RangeNotSatisfiableError(range);
  }
}

/** Clamp `range` to an object of `totalSize` bytes, as HTTP does; throws when it starts past the end. */
export function resolveRange(range: ByteRange, totalSize: number): { start: number; end: number } {
  checkRange(range);
  if (range.start >= totalSize) throw new RangeNotSatisfiableError(range, totalSize);
  return { start: range.start, end: Math.min(range.end ?? totalSize - 1, totalSize - 1) };
}

/** Validate a presign lifetime: whole seconds between 1 and 7 days. */
export function checkExpiry(expiresInSeconds: number): number {
  if (
    !Number.isSafeInteger(expiresInSeconds) ||
    expiresInSeconds < 1 ||
    expiresInSeconds > MAX_PRESIGN_SECONDS
  ) {
    throw new RangeError(`expiresInSeconds must be an integer from 1 to ${MAX_PRESIGN_SECONDS}`);
  }
  return expiresInSeconds;
}

/** Bytes of a non-stream body; strings are UTF-8. */
export function bodyBytes(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? new TextEncoder().encode(body) : body;
}

/** A stream that yields `bytes` once; lets every body kind share the streaming code path. */
export function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}

/**
 * Re-cut a stream into buffers of exactly `size` bytes (the last may be shorter, and there is at
 * least one, possibly empty). Multipart upload needs fixed-size parts, and this keeps at most one
 * part in memory however the source chunks its data.
 */
export async function* fixedChunks(
  stream: ReadableStream<Uint8Array>,
  size: number,
): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let buffer = new Uint8Array(size);
  let filled = 0;
  let yielded = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let offset = 0;
      while (offset < value.byteLength) {
        const n = Math.min(size - filled, value.byteLength - offset);
        buffer.set(value.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === size) {
          yield buffer;
          yielded = true;
          buffer = new Uint8Array(size);
          filled = 0;
        }
      }
    }
    if (filled > 0 || !yielded) yield buffer.subarray(0, filled);
  } finally {
    // Stops the source when the consumer gives up early (e.g. a failed part upload).
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** Normalise a body to a stream plus its length when known up front. */
export function asStream(body: StorageBody): { stream: ReadableStream<Uint8Array>; length?: number } {
  if (body instanceof ReadableStream) return { stream: body };
  const bytes = bodyBytes(body);
  return { stream: streamOf(bytes), length: bytes.byteLength };
}

/**
 * Pass `source` through, failing unless it holds exactly `expected` bytes. The last bytes are held
 * back until the source has proved it is finished: an HTTP server stores the object as soon as it
 * has `Content-Length` bytes, and fetch then drops the rest without a word, so a too-long body must
 * fail before the final byte leaves. A too-short one fails mid-body, which aborts the request.
 */
export function exactLength(
  source: ReadableStream<Uint8Array>,
  expected: number,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let seen = 0;
  const mismatch = (what: string) => new StorageError(`Expected ${expected} bytes but the body was ${what}`);
  const next = async () => {
    for (;;) {
      const result = await reader.read();
      if (result.done || result.value.byteLength > 0) return result;
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await next();
      if (done) {
        if (seen === expected) controller.close();
        else controller.error(mismatch(`${seen} bytes`));
        return;
      }
      seen += value.byteLength;
      if (seen < expected) return controller.enqueue(value);
      const after = seen > expected ? undefined : await next();
      if (after === undefined || !after.done) {
        controller.error(mismatch('longer'));
        await reader.cancel().catch(() => {});
        return;
      }
      controller.enqueue(value);
      controller.close();
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
