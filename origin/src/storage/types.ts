/**
 * The storage contract the origin uses for uploaded sources and published HLS outputs.
 * Backends live beside this file (`local.ts`, `s3.ts`); callers only ever see `Storage`, so the
 * same code runs against a directory on disk, MinIO, R2 or AWS S3.
 */

/** An object being read. `body` must be consumed or cancelled, or the connection/file stays open. */
export interface StoredObject {
  body: ReadableStream<Uint8Array>;
  /** Bytes in this response: the range length when a range was requested. */
  size: number;
  /** Size of the whole object, so callers can answer `Content-Range: bytes a-b/total`. */
  totalSize: number;
  contentType?: string;
  /** Opaque validator; quoted like an HTTP ETag. Not an MD5 for local storage or multipart uploads. */
  etag?: string;
  /** The `Cache-Control` given when the object was written, so serving code can pass it on. */
  cacheControl?: string;
  /** Inclusive byte range actually returned, present only when a range was requested. */
  range?: { start: number; end: number };
}

/** What `put` accepts: a web stream (uploads, transcoder output), raw bytes, or UTF-8 text (playlists). */
export type StorageBody = ReadableStream<Uint8Array> | Uint8Array | string;

export interface PutOptions {
  /** Defaults to a type derived from the key's extension (see `contentTypeOf` in protocol/media.ts). */
  contentType?: string;
  /** When given, the write fails unless exactly this many bytes arrive. */
  contentLength?: number;
  cacheControl?: string;
}

export interface PutFileOptions {
  contentType?: string;
  cacheControl?: string;
}

/**
 * A byte range, both ends inclusive like HTTP's `Range: bytes=start-end`. `end` past the last byte
 * is clamped to it (as HTTP does); a `start` at or past the end of the object, a negative or
 * fractional bound, or `end < start` throws `RangeNotSatisfiableError`. Suffix ranges
 * (`bytes=-500`) are for the HTTP layer to turn into a `start` once it knows the size from `head`.
 */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface GetOptions {
  range?: ByteRange;
}

export interface ObjectInfo {
  size: number;
  contentType?: string;
}

export interface PresignOptions {
  /** Lifetime of the URL; 1 second to 7 days (S3's limit, applied to both backends). */
  expiresInSeconds: number;
}

/** Object storage keyed by validated relative keys (see `validateKey`). Every method validates its key. */
export interface Storage {
  readonly kind: 'local' | 's3';
  /** Write an object, replacing any previous one atomically (readers see the old or the new, never half). */
  put(key: string, body: StorageBody, options?: PutOptions): Promise<void>;
  /**
   * Write an object from a finished file on disk, streaming it rather than reading it into memory.
   * The local backend may hard-link the file instead of copying it: the caller may delete the file
   * afterwards, but must not write to it again.
   */
  putFile(key: string, filePath: string, options?: PutFileOptions): Promise<void>;
  /** Read an object or a range of it; `undefined` when it does not exist. */
  get(key: string, options?: GetOptions): Promise<StoredObject | undefined>;
  head(key: string): Promise<ObjectInfo | undefined>;
  exists(key: string): Promise<boolean>;
  /** Every key starting with `prefix` (a plain string prefix, as S3 does), sorted. `''` lists all. */
  list(prefix: string): Promise<string[]>;
  /**
   * Delete every object under `prefix` and return how many were deleted. The prefix must be non-empty
   * and end with `/`, so a bug that passes `''` or `videos/ab` cannot wipe the bucket or `videos/abc/`.
   */
  deletePrefix(prefix: string): Promise<number>;
  /**
   * A URL anyone can GET the object from until it expires (S3 only: the origin serves no
   * `/storage/` route, so the local backend has nothing to sign URLs for).
   */
  presignGet?(key: string, options: PresignOptions): Promise<string>;
  /** A URL a runner can PUT the object's bytes to directly (S3 only; local runners use `put`). */
  presignPut?(key: string, options: PresignOptions & { contentType?: string }): Promise<string>;
}

/** A backend that signs URLs: S3-compatible storage. */
export type PresigningStorage = Storage & Required<Pick<Storage, 'presignGet' | 'presignPut'>>;
