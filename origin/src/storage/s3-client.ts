import { AwsClient, AwsV4Signer } from 'aws4fetch';
import { StorageError } from './errors.js';
import { encodeKeyPath } from './keys.js';
import { xmlText } from './s3-xml.js';

export interface S3StorageConfig {
  /** Service URL, e.g. `http://127.0.0.1:9000` (MinIO) or `https://<account>.r2.cloudflarestorage.com`. */
  endpoint: string;
  bucket: string;
  /** `auto` for R2, `us-east-1` for MinIO unless configured otherwise. */
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /**
   * Endpoint to put in presigned URLs when players and runners reach the bucket at another address
   * than the origin does (compose: origin uses `http://minio:9000`, browsers `https://media.example`).
   * SigV4 signs the host, so a proxy in between must pass the Host header through unchanged.
   */
  publicEndpoint?: string;
  /** `endpoint/bucket/key` rather than `bucket.endpoint/key`. Default true: MinIO and R2 need no DNS setup for it. */
  forcePathStyle?: boolean;
  /**
   * Use DeleteObjects (one request per 1000 keys). Default true; set false for S3-compatible services
   * that lack it. A service answering 501 to it is detected and falls back to one DELETE per key anyway.
   */
  batchDelete?: boolean;
  /** Milliseconds since the epoch; injectable so tests can presign URLs in the past. */
  clock?: () => number;
}

/** Signed requests against one bucket; the Storage methods in `s3.ts` are built on this. */
export interface S3Requester {
  objectUrl(key: string, query?: Record<string, string>): string;
  /** The object's URL on `publicEndpoint` (or `endpoint`), for presigning. */
  publicObjectUrl(key: string): string;
  bucketUrl(query?: Record<string, string>): string;
  /** Send a signed request; bodies that are not streams are retried on 5xx/429 by aws4fetch. */
  send(
    url: string,
    init: { method: string; headers?: Record<string, string>; body?: BodyInit },
  ): Promise<Response>;
  /** A SigV4 query-signed URL (what S3 calls a presigned URL). */
  presign(
    url: string,
    method: 'GET' | 'PUT',
    expiresInSeconds: number,
    headers?: Record<string, string>,
  ): Promise<string>;
}

function withQuery(url: string, query: Record<string, string> | undefined): string {
  if (!query) return url;
  // Percent-encode (space as %20, never '+'): servers disagree on whether '+' in a query means a
  // space, and a signature computed on one reading fails on the other. `?uploads`-style
  // sub-resources go out as `uploads=`, which S3 accepts and SigV4 signs the same way.
  const search = Object.entries(query)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  return search ? `${url}?${search}` : url;
}

/** Build the requester for a bucket. Nothing is contacted until the first request. */
export function createS3Requester(config: S3StorageConfig): S3Requester {
  const bucketBaseOf = (endpointUrl: string) => {
    const endpoint = new URL(endpointUrl);
    const basePath = endpoint.pathname.replace(/\/+$/, '');
    return (config.forcePathStyle ?? true)
      ? `${endpoint.protocol}//${endpoint.host}${basePath}/${encodeURIComponent(config.bucket)}`
      : `${endpoint.protocol}//${config.bucket}.${endpoint.host}${basePath}`;
  };
  const bucketBase = bucketBaseOf(config.endpoint);
  const publicBase = bucketBaseOf(config.publicEndpoint ?? config.endpoint);
  const credentials = { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey };
  const client = new AwsClient({ ...credentials, service: 's3', region: config.region, retries: 3 });
  const clock = config.clock ?? Date.now;

  return {
    objectUrl: (key, query) => withQuery(`${bucketBase}/${encodeKeyPath(key)}`, query),
    publicObjectUrl: (key) => `${publicBase}/${encodeKeyPath(key)}`,
    // The trailing slash keeps path-style bucket URLs unambiguous for every S3 implementation.
    bucketUrl: (query) => withQuery(`${bucketBase}/`, query),

    async send(url, init) {
      try {
        if (init.body instanceof ReadableStream) {
          // A stream cannot be replayed, so sign once and send once instead of using aws4fetch's retries.
          return await fetch(await client.sign(url, { ...init, duplex: 'half' } as RequestInit));
        }
        return await client.fetch(url, init);
      } catch (error) {
        // fetch says only "fetch failed"; the cause (refused, reset, body length mismatch) is the news.
        const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
        const message = `S3 ${init.method} ${new URL(url).pathname} failed: ${cause}`;
        throw new StorageError(message, undefined, undefined, { cause: error });
      }
    },

    async presign(url, method, expiresInSeconds, headers) {
      const presignUrl = new URL(url);
      presignUrl.searchParams.set('X-Amz-Expires', String(expiresInSeconds));
      const signer = new AwsV4Signer({
        ...credentials,
        url: presignUrl.toString(),
        method,
        ...(headers ? { headers, allHeaders: true } : {}),
        service: 's3',
        region: config.region,
        signQuery: true,
        datetime: new Date(clock()).toISOString().replace(/[:-]|\.\d{3}/g, ''),
      });
      return (await signer.sign()).url.toString();
    },
  };
}

/** Throw a `StorageError` carrying S3's status, error code and message. */
export async function failure(response: Response, action: string): Promise<never> {
  const text = await response.text().catch(() => '');
  const code = xmlText(text, 'Code');
  const message = xmlText(text, 'Message');
  const detail = [code, message].filter(Boolean).join(': ') || response.statusText;
  throw new StorageError(
    `S3 ${action} failed with ${response.status}${detail ? ` (${detail})` : ''}`,
    response.status,
    code,
  );
}
