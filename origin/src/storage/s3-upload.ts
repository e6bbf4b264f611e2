import { fixedChunks } from './bytes.js';
import { StorageError } from './errors.js';
import { failure, type S3Requester } from './s3-client.js';
import { completeMultipartBody, xmlBlocks, xmlText } from './s3-xml.js';

/** Largest single PutObject S3 accepts; larger known-length bodies go multipart. */
export const MAX_SINGLE_PUT = 5 * 1024 ** 3;
/** Part size for unknown-length streams: above S3's 5 MiB minimum, small enough to buffer. */
export const DEFAULT_PART_SIZE = 8 * 1024 ** 2;
const MAX_PARTS = 10_000;

/** Part size that keeps a body of `length` bytes within S3's 10,000-part limit. */
export function partSizeFor(length: number | undefined): number {
  if (length === undefined) return DEFAULT_PART_SIZE;
  const mib = 1024 ** 2;
  return Math.max(DEFAULT_PART_SIZE, Math.ceil(length / MAX_PARTS / mib) * mib);
}

/** One PutObject. A stream body needs `length`: S3 refuses chunked uploads without it. */
export async function putObject(
  s3: S3Requester,
  key: string,
  body: Uint8Array | ReadableStream<Uint8Array>,
  headers: Record<string, string>,
  length: number,
): Promise<void> {
  const response = await s3.send(s3.objectUrl(key), {
    method: 'PUT',
    headers: { ...headers, 'content-length': String(length) },
    body: body as BodyInit,
  });
  if (!response.ok) await failure(response, `PutObject ${key}`);
  await response.body?.cancel();
}

/**
 * Upload a stream of any length. It is cut into `partSize` parts; a stream that fits in one part is
 * sent as a plain PutObject, anything longer as a multipart upload, so memory stays at two parts
 * whatever the size and no temp file is needed. A failed multipart upload is aborted so the
 * bucket does not keep billing for orphaned parts.
 */
export async function uploadStream(
  s3: S3Requester,
  key: string,
  stream: ReadableStream<Uint8Array>,
  headers: Record<string, string>,
  partSize: number,
): Promise<void> {
  const chunks = fixedChunks(stream, partSize);
  try {
    const first = await chunks.next();
    const firstPart = first.done ? new Uint8Array(0) : first.value;
    const second = await chunks.next();
    if (second.done) return await putObject(s3, key, firstPart, headers, firstPart.byteLength);

    const created = await s3.send(s3.objectUrl(key, { uploads: '' }), { method: 'POST', headers });
    if (!created.ok) await failure(created, `CreateMultipartUpload ${key}`);
    const uploadId = xmlText(await created.text(), 'UploadId');
    if (!uploadId) throw new StorageError(`S3 CreateMultipartUpload ${key} returned no UploadId`);
    try {
      const parts: Array<{ partNumber: number; etag: string }> = [];
      for (const part of [firstPart, second.value])
        parts.push(await uploadPart(s3, key, uploadId, parts.length + 1, part));
      for await (const part of chunks)
        parts.push(await uploadPart(s3, key, uploadId, parts.length + 1, part));
      await completeUpload(s3, key, uploadId, parts);
    } catch (error) {
      // Drop the parts already stored; a failed abort only leaves what a lifecycle rule cleans up.
      await s3
        .send(s3.objectUrl(key, { uploadId }), { method: 'DELETE' })
        .then((response) => response.body?.cancel())
        .catch(() => {});
      throw error;
    }
  } finally {
    // Stops reading the source when we gave up half-way; a no-op once it was read to the end.
    await chunks.return(undefined);
  }
}

async function uploadPart(
  s3: S3Requester,
  key: string,
  uploadId: string,
  partNumber: number,
  bytes: Uint8Array,
): Promise<{ partNumber: number; etag: string }> {
  if (partNumber > MAX_PARTS) throw new StorageError(`${key} needs more than ${MAX_PARTS} parts`);
  const url = s3.objectUrl(key, { partNumber: String(partNumber), uploadId });
  const response = await s3.send(url, { method: 'PUT', body: bytes as BodyInit });
  if (!response.ok) await failure(response, `UploadPart ${partNumber} of ${key}`);
  await response.body?.cancel();
  const etag = response.headers.get('etag');
  if (!etag) throw new StorageError(`S3 UploadPart ${partNumber} of ${key} returned no ETag`);
  return { partNumber, etag };
}

async function completeUpload(
  s3: S3Requester,
  key: string,
  uploadId: string,
  parts: Array<{ partNumber: number; etag: string }>,
): Promise<void> {
  const response = await s3.send(s3.objectUrl(key, { uploadId }), {
    method: 'POST',
    headers: { 'content-type': 'application/xml' },
    body: completeMultipartBody(parts),
  });
  if (!response.ok) await failure(response, `CompleteMultipartUpload ${key}`);
  // S3 can answer 200 and still report an error in the body once it has assembled the parts.
  const text = await response.text();
  if (xmlBlocks(text, 'Error').length > 0) {
    throw new StorageError(
      `S3 CompleteMultipartUpload ${key} failed: ${xmlText(text, 'Code') ?? 'unknown error'}`,
    );
  }
}
