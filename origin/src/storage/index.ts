import { createLocalStorage, type LocalStorageConfig } from './local.js';
import { createS3Storage, type S3StorageConfig } from './s3.js';
import type { Storage } from './types.js';

export { MAX_PRESIGN_SECONDS } from './bytes.js';
export { InvalidKeyError, RangeNotSatisfiableError, StorageError } from './errors.js';
export {
  contentTypeForKey,
  MAX_KEY_LENGTH,
  validateDeletePrefix,
  validateKey,
  validatePrefix,
} from './keys.js';
export { createLocalStorage, type LocalStorageConfig } from './local.js';
export { signLocalUrl, verifyLocalPresign } from './local-presign.js';
export { createS3Storage, type S3StorageConfig } from './s3.js';
export type * from './types.js';

/** Which backend to build, with its settings; the shape an env parser produces. */
export type StorageConfig = ({ driver: 'local' } & LocalStorageConfig) | ({ driver: 's3' } & S3StorageConfig);

/** Build the configured backend. See docs/storage.md for choosing one. */
export function createStorage(config: StorageConfig): Storage {
  const { driver, ...settings } = config;
  switch (driver) {
    case 'local':
      return createLocalStorage(settings as LocalStorageConfig);
    case 's3':
      return createS3Storage(settings as S3StorageConfig);
    default:
      throw new Error(`Unknown storage driver: ${String(driver satisfies never)}`);
  }
}
