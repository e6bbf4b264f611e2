/**
 * Storage errors are plain classes, not `ServiceError`s: storage is infrastructure, and the caller
 * decides whether a bad key is the client's fault (400) or a bug (500).
 */

/** A key or prefix that could escape its directory, or that S3 and a filesystem would read differently. */
export class InvalidKeyError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`Invalid storage key ${JSON.stringify(key.slice(0, 100))}: ${reason}`);
    this.name = 'InvalidKeyError';
  }
}

/** The requested range does not overlap the object; HTTP answers 416 with `Content-Range: bytes *\/total`. */
export class RangeNotSatisfiableError extends Error {
  constructor(
    readonly range: { start: number; end?: number },
    /** Size of the object, when the backend told us. */
    readonly totalSize?: number,
  ) {
    const wanted = `${range.start}-${range.end ?? ''}`;
    super(`Range ${wanted} is not satisfiable${totalSize === undefined ? '' : ` for ${totalSize} bytes`}`);
    this.name = 'RangeNotSatisfiableError';
  }
}

/** A backend failure: an unexpected S3 response, a short body, or a filesystem error worth a message. */
export class StorageError extends Error {
  constructor(
    message: string,
    /** HTTP status from S3, when there was one. */
    readonly status?: number,
    /** S3 error code such as `NoSuchBucket` or `AccessDenied`, when the body carried one. */
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}
