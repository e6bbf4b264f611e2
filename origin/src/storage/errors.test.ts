import { describe, expect, it } from 'vitest';
import { StorageError, storageFailureReason } from './errors.js';

const errno = (code: string) => Object.assign(new Error(`${code}: something`), { code });

describe('storageFailureReason', () => {
  it('says what a filesystem error means, wherever it is in the cause chain', () => {
    expect(storageFailureReason(errno('ENOSPC'))).toBe('The storage is full');
    expect(storageFailureReason(errno('EROFS'))).toBe('The storage is read-only');
    expect(storageFailureReason(errno('EACCES'))).toBe('The storage refused the write (permission denied)');
    expect(
      storageFailureReason(
        new StorageError('write failed', undefined, undefined, { cause: errno('ENOSPC') }),
      ),
    ).toBe('The storage is full');
  });

  it('says what an S3 error means', () => {
    expect(storageFailureReason(new StorageError('PUT x: 403', 403, 'AccessDenied'))).toMatch(
      /refused access/,
    );
    expect(storageFailureReason(new StorageError('PUT x: 503', 503, 'ServiceUnavailable'))).toBe(
      'The object store failed (HTTP 503 ServiceUnavailable)',
    );
    expect(storageFailureReason(new StorageError('short body'))).toBe('The storage failed: short body');
  });

  it('leaves other errors alone', () => {
    expect(storageFailureReason(new Error('boom'))).toBeUndefined();
    expect(storageFailureReason(errno('ECONNREFUSED'))).toBeUndefined();
    expect(storageFailureReason(undefined)).toBeUndefined();
  });
});
