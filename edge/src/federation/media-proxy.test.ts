import { describe, expect, it } from 'vitest';
import { proxiedMediaPath } from '../../../protocol/federation/media-proxy.js';
import { edgeFetch, ORIGIN_ENV, ORIGIN_URL } from '../../test/edge-client.js';

const SECRET = 'edge-media-proxy-secret-0123456789ab';
const ON = { ...ORIGIN_ENV, FEDERATION_MEDIA_PROXY: 'on', FEDERATION_MEDIA_PROXY_SECRET: SECRET };

describe('federation media proxy: what it refuses (the serving path is test/federation/media-proxy.e2e.test.ts)', () => {
  it('does not exist unless the instance opts in', async () => {
    const path = await proxiedMediaPath(SECRET, 'https://peer.example/a.jpg');
    const res = await edgeFetch(path);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('refuses loopback, private and plain-http peers unless private addresses are allowed', async () => {
    for (const url of [
      `${ORIGIN_URL}/echo`,
      'https://10.0.0.8/a.jpg',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/a.jpg',
      'http://peer.example/a.jpg',
      'ftp://peer.example/a.jpg',
      'https://user:pw@peer.example/a.jpg',
    ]) {
      const res = await edgeFetch(await proxiedMediaPath(SECRET, url), undefined, { ...ON });
      expect(res.status, url).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
  });

  it('refuses a URL signed with another secret, and a malformed path', async () => {
    const foreign = await proxiedMediaPath(`${SECRET}-not-ours`, 'https://peer.example/a.jpg');
    expect((await edgeFetch(foreign, undefined, { ...ON })).status).toBe(403);
    expect((await edgeFetch('/federation/media/%%%/x', undefined, { ...ON })).status).toBe(403);
  });

  it('is a configuration error when switched on without its secret', async () => {
    const res = await edgeFetch('/federation/media/a/b', undefined, {
      ...ORIGIN_ENV,
      FEDERATION_MEDIA_PROXY: 'on',
    });
    expect(res.status).toBe(500);
  });
});
