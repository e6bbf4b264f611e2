import { createHash } from 'node:crypto';
import { StorageError } from './errors.js';
import { failure, type S3Requester } from './s3-client.js';
import { deleteObjectsBody, parseDeleteErrors } from './s3-xml.js';

/** DeleteObjects takes at most 1000 keys per request. */
const DELETE_BATCH = 1000;
/** Parallel single DELETEs when a service has no DeleteObjects. */
const DELETE_CONCURRENCY = 8;

/**
 * Bulk deletion for `deletePrefix`: DeleteObjects in batches of 1000, or one DELETE per key for
 * services without it. The choice sticks once a service answers 501, so we ask only once.
 */
export function createDeleter(s3: S3Requester, batchDelete: boolean) {
  let useBatch = batchDelete;

  /** DeleteObjects for up to 1000 keys; the count deleted, or undefined when the service lacks it. */
  async function deleteBatch(keys: readonly string[]): Promise<number | undefined> {
    const body = deleteObjectsBody(keys);
    const response = await s3.send(s3.bucketUrl({ delete: '' }), {
      method: 'POST',
      // S3 rejects DeleteObjects without an integrity header; Content-MD5 is the one every clone knows.
      headers: {
        'content-type': 'application/xml',
        'content-md5': createHash('md5').update(body).digest('base64'),
      },
      body,
    });
    if (response.status === 501) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) await failure(response, 'DeleteObjects');
    // Quiet mode: the body lists only the keys that failed.
    const errors = parseDeleteErrors(await response.text());
    const first = errors[0];
    if (first) {
      const message = `S3 could not delete ${errors.length} of ${keys.length} objects, e.g. ${first.key}: ${first.code}`;
      throw new StorageError(message, 200, first.code);
    }
    return keys.length;
  }

  /** DELETE each key, a few at a time. */
  async function deleteEach(keys: readonly string[]): Promise<number> {
    const queue = [...keys];
    const worker = async () => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
        const response = await s3.send(s3.objectUrl(key), { method: 'DELETE' });
        if (!response.ok && response.status !== 404) await failure(response, `DeleteObject ${key}`);
        await response.body?.cancel();
      }
    };
    await Promise.all(Array.from({ length: DELETE_CONCURRENCY }, worker));
    return keys.length;
  }

  return {
    /** Delete `keys` and return how many were deleted. */
    async deleteKeys(keys: readonly string[]): Promise<number> {
      let deleted = 0;
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        const batch = keys.slice(i, i + DELETE_BATCH);
        const count = useBatch ? await deleteBatch(batch) : undefined;
        if (count === undefined) useBatch = false;
        deleted += count ?? (await deleteEach(batch));
      }
      return deleted;
    },
  };
}
