import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageError } from '../../src/storage/errors.js';
import { createS3Storage, type S3StorageConfig } from '../../src/storage/s3.js';
import { partSizeFor } from '../../src/storage/s3-upload.js';
import type { PresigningStorage } from '../../src/storage/types.js';
import { storageContract } from './contract.js';
import { bytesOf, space } from './helpers.js';
import { startTestS3Server, type TestS3Server } from './s3-server.js';

// Real HTTP against s3rver in its own process, behind an independent SigV4 check
// (s3-sigv4.cjs), so every request here must be signed as S3 expects.
let server: TestS3Server;
let config: S3StorageConfig;
let storage: PresigningStorage;

beforeAll(async () => {
  server = await startTestS3Server('vidra-test');
  config = {
    endpoint: server.endpoint,
    bucket: 'vidra-test',
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
  };
  storage = createS3Storage(config);
});
afterAll(() => server?.stop());

describe('S3 storage contract', () => {
  storageContract(() => storage, { manyKeys: 1005 });
});

describe('S3 presigned URLs', () => {
  it('a presigned GET downloads the object with plain fetch', async () => {
    const key = `${space()}hls/master.m3u8`;
    await storage.put(key, '#EXTM3U\n', { cacheControl: 'public, max-age=60' });
    const url = await storage.presignGet(key, { expiresInSeconds: 300 });
    expect(url).toContain('X-Amz-Signature=');
    expect(url).toContain('X-Amz-Expires=300');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    expect(await response.text()).toBe('#EXTM3U\n');
    const ranged = await fetch(url, { headers: { range: 'bytes=1-3' } });
    expect(ranged.status).toBe(206);
    expect(await ranged.text()).toBe('EXT');
  });

  it('an expired presigned GET is refused', async () => {
    const key = `${space()}thumbnail.jpg`;
    await storage.put(key, 'jpg');
    const past = createS3Storage({ ...config, clock: () => Date.now() - 3_600_000 });
    const response = await fetch(await past.presignGet(key, { expiresInSeconds: 60 }));
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
  });

  it('a tampered presigned GET is refused', async () => {
    const key = `${space()}thumbnail.jpg`;
    await storage.put(key, 'jpg');
    const url = new URL(await storage.presignGet(key, { expiresInSeconds: 300 }));
    const signature = url.searchParams.get('X-Amz-Signature') ?? '';
    const tampered = [
      (u: URL) =>
        u.searchParams.set(
          'X-Amz-Signature',
          `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`,
        ),
      (u: URL) => u.searchParams.set('X-Amz-Expires', '600'),
      (u: URL) => {
        u.pathname = u.pathname.replace('thumbnail.jpg', 'other.jpg');
      },
    ];
    for (const tamper of tampered) {
      const copy = new URL(url);
      tamper(copy);
      const response = await fetch(copy);
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('SignatureDoesNotMatch');
    }
    expect((await fetch(url)).status).toBe(200);
  });

  it('a presigned PUT lets a runner upload with plain fetch', async () => {
    const key = `${space()}hls/720p/seg_00001.m4s`;
    const url = await storage.presignPut?.(key, { expiresInSeconds: 300, contentType: 'video/iso.segment' });
    expect(url).toContain('X-Amz-SignedHeaders=content-type%3Bhost');
    const response = await fetch(url ?? '', {
      method: 'PUT',
      headers: { 'content-type': 'video/iso.segment' },
      body: new Uint8Array([1, 2, 3, 4]),
    });
    expect(response.status).toBe(200);
    const object = await storage.get(key);
    expect(object?.contentType).toBe('video/iso.segment');
    expect(await bytesOf(object?.body ?? new Blob().stream())).toEqual(new Uint8Array([1, 2, 3, 4]));
  });
});

describe('S3 specifics', () => {
  it('the test server verifies signatures, so every passing request above was signed correctly', async () => {
    const key = `${space()}x`;
    await storage.put(key, 'x');
    const wrongSecret = createS3Storage({ ...config, secretAccessKey: 'not-the-secret' });
    await expect(wrongSecret.put(key, 'y')).rejects.toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
    await expect(wrongSecret.list('t/')).rejects.toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
    const wrongRegion = createS3Storage({ ...config, region: 'eu-west-1' });
    await expect(wrongRegion.head(key)).rejects.toMatchObject({ status: 403 });
    const anonymous = await fetch(`${server.endpoint}/vidra-test/${key}`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain('AccessDenied');
  });

  it('deletes one key at a time when batch delete is off', async () => {
    const single = createS3Storage({ ...config, batchDelete: false });
    const s = space();
    await Promise.all(['a/1', 'a/2', 'a/3', 'ab/1'].map((k) => single.put(`${s}${k}`, 'x')));
    expect(await single.deletePrefix(`${s}a/`)).toBe(3);
    expect(await single.list(s)).toEqual([`${s}ab/1`]);
  });

  it('reports a missing bucket as a StorageError with the S3 code, not as a missing object', async () => {
    const missing = createS3Storage({ ...config, bucket: 'no-such-bucket' });
    const error = await missing.get('a/b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe('NoSuchBucket');
    await expect(missing.put('a/b', 'x')).rejects.toMatchObject({ status: 404, code: 'NoSuchBucket' });
    await expect(missing.list('a/')).rejects.toBeInstanceOf(StorageError);
  });

  it('presigns for the public endpoint while talking to the internal one', async () => {
    const key = `${space()}thumbnail.jpg`;
    await storage.put(key, 'jpg');
    const publicEndpoint = server.endpoint.replace('127.0.0.1', 'localhost');
    const split = createS3Storage({ ...config, publicEndpoint });
    const url = await split.presignGet(key, { expiresInSeconds: 60 });
    expect(url.startsWith(`${publicEndpoint}/vidra-test/t/`)).toBe(true);
    expect(await (await fetch(url)).text()).toBe('jpg');
    expect(await split.exists(key)).toBe(true);
  });

  it('builds virtual-host URLs when path style is off', async () => {
    const vhost = createS3Storage({ ...config, endpoint: 'https://s3.example.com', forcePathStyle: false });
    const url = new URL(await vhost.presignGet('videos/v1/thumbnail.jpg', { expiresInSeconds: 60 }));
    expect(url.host).toBe('vidra-test.s3.example.com');
    expect(url.pathname).toBe('/videos/v1/thumbnail.jpg');
  });

  it('sizes multipart parts to stay within 10,000 parts', () => {
    expect(partSizeFor(undefined)).toBe(8 * 1024 * 1024);
    expect(partSizeFor(6 * 1024 ** 3)).toBe(8 * 1024 * 1024);
    const huge = 200 * 1024 ** 3;
    expect(Math.ceil(huge / partSizeFor(huge))).toBeLessThanOrEqual(10_000);
  });
});
