import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { contentTypeOf } from '../../../protocol/media.js';
import { bodyBytes, checkExpiry, checkRange, exactLength, resolveRange, streamOf } from './bytes.js';
import { RangeNotSatisfiableError, StorageError } from './errors.js';
import { validateDeletePrefix, validateKey, validatePrefix } from './keys.js';
import { createS3Requester, failure, type S3Requester, type S3StorageConfig } from './s3-client.js';
import { createDeleter } from './s3-delete.js';
import { MAX_SINGLE_PUT, partSizeFor, putObject, uploadStream } from './s3-upload.js';
import { parseListPage, xmlText } from './s3-xml.js';
import type { ByteRange, PresigningStorage, PutOptions, StoredObject } from './types.js';

export type { S3StorageConfig } from './s3-client.js';

function objectHeaders(key: string, options: Pick<PutOptions, 'contentType' | 'cacheControl'>) {
  // The extension default is stored on the object, so every reader (CDN, presigned GET) sees it.
  const headers: Record<string, string> = { 'content-type': options.contentType ?? contentTypeOf(key) };
  if (options.cacheControl !== undefined) headers['cache-control'] = options.cacheControl;
  return headers;
}

/** Upload a stream whose length may be known: one streaming PutObject when it can, multipart otherwise. */
async function upload(
  s3: S3Requester,
  key: string,
  stream: ReadableStream<Uint8Array>,
  headers: Record<string, string>,
  length?: number,
) {
  const body = length === undefined ? stream : exactLength(stream, length);
  try {
    if (length !== undefined && length <= MAX_SINGLE_PUT) {
      return await putObject(s3, key, body, headers, length);
    }
    return await uploadStream(s3, key, body, headers, partSizeFor(length));
  } catch (error) {
    // Cancel a body we did not get to read, so an HTTP upload or an open file is not left hanging.
    await body.cancel().catch(() => {});
    throw error;
  }
}

/**
 * Where a GetObject response sits in the object. Servers differ at the edges (one answers 206
 * `bytes 0-0/0` for an empty object, another may ignore Range), so the response is checked against
 * what was asked rather than trusted.
 */
function placeRange(response: Response, wanted: ByteRange | undefined) {
  if (response.status !== 206 || !wanted) {
    const size = Number(response.headers.get('content-length') ?? 0);
    // A server that ignored Range sent the whole object: fine only if that is what was asked for.
    const range = wanted ? resolveRange(wanted, size) : undefined;
    if (range && (range.start !== 0 || range.end !== size - 1)) {
      throw new StorageError('S3 ignored the Range header');
    }
    return { size, totalSize: size, ...(range ? { range } : {}) };
  }
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
  if (!match) throw new StorageError('S3 answered 206 without a usable Content-Range');
  const [start, end, totalSize] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (wanted.start >= totalSize) throw new RangeNotSatisfiableError(wanted, totalSize);
  if (start !== wanted.start || end < start || end >= totalSize) {
    throw new StorageError(
      `S3 answered range ${start}-${end}/${totalSize} for ${wanted.start}-${wanted.end ?? ''}`,
    );
  }
  return { size: end - start + 1, totalSize, range: { start, end } };
}

/**
 * Storage in an S3-compatible bucket (AWS S3, Cloudflare R2, MinIO, ...), through aws4fetch: SigV4
 * over `fetch`, so no AWS SDK, and the same signing code can run in workerd at the edge.
 */
export function createS3Storage(config: S3StorageConfig): PresigningStorage {
  const s3 = createS3Requester(config);
  const deleter = createDeleter(s3, config.batchDelete ?? true);

  const storage: PresigningStorage = {
    kind: 's3',

    async put(key, body, options = {}) {
      validateKey(key);
      const headers = objectHeaders(key, options);
      if (body instanceof ReadableStream) return upload(s3, key, body, headers, options.contentLength);
      // Bytes go up as bytes rather than a stream: replayable, so aws4fetch retries them on 5xx.
      const bytes = bodyBytes(body);
      if (options.contentLength !== undefined && options.contentLength !== bytes.byteLength) {
        throw new StorageError(
          `contentLength ${options.contentLength} does not match the ${bytes.byteLength}-byte body`,
        );
      }
      await putObject(s3, key, bytes, headers, bytes.byteLength);
    },

    async putFile(key, filePath, options = {}) {
      validateKey(key);
      const info = await stat(filePath);
      if (!info.isFile()) throw new StorageError(`${filePath} is not a regular file`);
      const stream = Readable.toWeb(createReadStream(filePath)) as unknown as ReadableStream<Uint8Array>;
      await upload(s3, key, stream, objectHeaders(key, options), info.size);
    },

    async get(key, options = {}): Promise<StoredObject | undefined> {
      validateKey(key);
      const wanted = options.range;
      if (wanted) checkRange(wanted);
      const headers: Record<string, string> = wanted
        ? { range: `bytes=${wanted.start}-${wanted.end ?? ''}` }
        : {};
      const response = await s3.send(s3.objectUrl(key), { method: 'GET', headers });
      if (response.status === 404) {
        const code = xmlText(await response.text(), 'Code');
        // A missing bucket is a misconfiguration, not a missing object.
        if (code === 'NoSuchBucket') {
          throw new StorageError(`S3 bucket ${config.bucket} does not exist`, 404, code);
        }
        return undefined;
      }
      if (response.status === 416 && wanted) {
        const total = Number(xmlText(await response.text(), 'ActualObjectSize') ?? Number.NaN);
        throw new RangeNotSatisfiableError(wanted, Number.isSafeInteger(total) ? total : undefined);
      }
      if (!response.ok) await failure(response, `GetObject ${key}`);
      let placed: ReturnType<typeof placeRange>;
      try {
        placed = placeRange(response, wanted);
      } catch (error) {
        await response.body?.cancel();
        throw error;
      }
      const { size, totalSize, range } = placed;
      const contentType = response.headers.get('content-type');
      const etag = response.headers.get('etag');
      const cacheControl = response.headers.get('cache-control');
      return {
        body: response.body ?? streamOf(new Uint8Array(0)),
        size,
        totalSize,
        ...(contentType ? { contentType } : {}),
        ...(etag ? { etag } : {}),
        ...(cacheControl ? { cacheControl } : {}),
        ...(range ? { range } : {}),
      };
    },

    async head(key) {
      const response = await s3.send(s3.objectUrl(validateKey(key)), { method: 'HEAD' });
      if (response.status === 404) return undefined;
      if (!response.ok) await failure(response, `HeadObject ${key}`);
      const contentType = response.headers.get('content-type');
      return {
        size: Number(response.headers.get('content-length') ?? 0),
        ...(contentType ? { contentType } : {}),
      };
    },

    async exists(key) {
      return (await storage.head(key)) !== undefined;
    },

    async list(prefix) {
      validatePrefix(prefix);
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const query: Record<string, string> = { 'list-type': '2', prefix };
        if (token) query['continuation-token'] = token;
        const response = await s3.send(s3.bucketUrl(query), { method: 'GET' });
        if (!response.ok) await failure(response, 'ListObjectsV2');
        const page = parseListPage(await response.text());
        keys.push(...page.keys);
        token = page.nextToken;
      } while (token);
      // S3 already sorts by UTF-8 bytes; sorting again makes both backends agree on every key.
      return keys.sort();
    },

    async deletePrefix(prefix) {
      validateDeletePrefix(prefix);
      return deleter.deleteKeys(await storage.list(prefix));
    },

    async presignGet(key, options) {
      return s3.presign(s3.publicObjectUrl(validateKey(key)), 'GET', checkExpiry(options.expiresInSeconds));
    },

    async presignPut(key, options) {
      const headers = options.contentType ? { 'content-type': options.contentType } : undefined;
      return s3.presign(
        s3.publicObjectUrl(validateKey(key)),
        'PUT',
        checkExpiry(options.expiresInSeconds),
        headers,
      );
    },
  };
  return storage;
}
