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

const FILESYSTEM_REASONS: Record<string, string> = {
  ENOSPC: 'The storage is full',
  EDQUOT: 'The storage quota is used up',
  EROFS: 'The storage is read-only',
  EACCES: 'The storage refused the write (permission denied)',
  EPERM: 'The storage refused the write (operation not permitted)',
  EIO: 'The storage reported an I/O error',
};

const S3_REASONS: Record<string, string> = {
  AccessDenied: 'The object store refused access (AccessDenied): check the storage credentials',
  NoSuchBucket: 'The object store has no such bucket (NoSuchBucket)',
  InvalidAccessKeyId: 'The object store does not know the access key (InvalidAccessKeyId)',
  SignatureDoesNotMatch:
    'The object store rejected the signature (SignatureDoesNotMatch): check the secret key',
  SlowDown: 'The object store is throttling requests (SlowDown)',
  QuotaExceeded: 'The object store quota is used up (QuotaExceeded)',
};

/**
 * A sentence a person can act on for a storage failure ("The storage is full"), or undefined when
 * the error is not one. Filesystem errors are known by their errno code anywhere in the cause
 * chain; S3 ones by their error code or status.
 */
export function storageFailureReason(error: unknown): string | undefined {
  const chain: unknown[] = [];
  for (let e = error; e && chain.length < 8; e = (e as { cause?: unknown }).cause) chain.push(e);
  for (const e of chain) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && FILESYSTEM_REASONS[code]) return FILESYSTEM_REASONS[code];
  }
  const s3 = chain.find((e): e is StorageError => e instanceof StorageError);
  if (!s3) return undefined;
  if (s3.code && S3_REASONS[s3.code]) return S3_REASONS[s3.code];
  if (s3.status && s3.status >= 500)
    return `The object store failed (HTTP ${s3.status}${s3.code ? ` ${s3.code}` : ''})`;
  return `The storage failed: ${s3.message}`;
}
