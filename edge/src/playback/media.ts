import { AwsClient } from 'aws4fetch';
import type { EdgeConfig, R2BucketLike } from '../env.js';
import { fetchWithFailover, type OriginPool } from '../routing.js';

export interface MediaSource {
  readonly kind: 'r2' | 's3' | 'origin';
  /** The whole published object at storage key `key` (`videoObjectKey`), as a Response (404 when absent). */
  get(key: string): Promise<Response>;
}

/** Read straight from an R2 binding: no extra hop at all. */
export function r2Source(bucket: R2BucketLike): MediaSource {
  return {
    kind: 'r2',
    async get(key) {
      const object = await bucket.get(key);
      if (!object) return new Response(null, { status: 404 });
      return new Response(object.body, { headers: { 'content-length': String(object.size) } });
    },
  };
}

/** Read from S3/MinIO with a SigV4-signed GET (aws4fetch works in workerd). */
export function s3Source(s3: NonNullable<EdgeConfig['s3']>): MediaSource {
  const client = new AwsClient({
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    region: s3.region,
    service: 's3',
  });
  const base = s3.endpoint.replace(/\/$/, '');
  return {
    kind: 's3',
    get: (key) => client.fetch(`${base}/${s3.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`),
  };
}

/** Ask the origins' internal media endpoint, failing over between them. */
export function originSource(pool: OriginPool, internalApiToken: string): MediaSource {
  return {
    kind: 'origin',
    get: (key) =>
      fetchWithFailover(pool, 'GET', (origin) =>
        fetch(`${origin}/internal/v1/media/${key}`, {
          headers: { authorization: `Bearer ${internalApiToken}` },
        }),
      ),
  };
}
