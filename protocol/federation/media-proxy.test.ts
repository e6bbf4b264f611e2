import { describe, expect, it } from 'vitest';
import { isPrivateHost, MEDIA_PROXY_PATH, proxiedMediaPath, verifiedMediaUrl } from './media-proxy.js';

const SECRET = 'media-proxy-secret-0123456789abcdef';

describe('media proxy paths', () => {
  it('round-trip a URL under its signature, and refuse a changed URL, signature or secret', async () => {
    const url = 'https://peer.example/lazy-static/thumbnails/a b.jpg?x=1';
    const path = await proxiedMediaPath(SECRET, url);
    expect(path.startsWith(`${MEDIA_PROXY_PATH}/`)).toBe(true);
    const [signature, encoded] = path.slice(MEDIA_PROXY_PATH.length + 1).split('/') as [string, string];
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await verifiedMediaUrl(SECRET, signature, encoded)).toBe(url);
    const other = (await proxiedMediaPath(SECRET, 'https://evil.example/x')).split('/')[4] as string;
    expect(await verifiedMediaUrl(SECRET, signature, other)).toBeUndefined();
    expect(await verifiedMediaUrl(SECRET, `${signature.slice(0, -2)}AA`, encoded)).toBeUndefined();
    expect(await verifiedMediaUrl(`${SECRET}!`, signature, encoded)).toBeUndefined();
    expect(await verifiedMediaUrl(SECRET, 'not base64!', encoded)).toBeUndefined();
    expect(await verifiedMediaUrl(SECRET, 'x', encoded)).toBeUndefined(); // not a base64 length
    expect(await verifiedMediaUrl(SECRET, signature, 'x')).toBeUndefined();
  });

  it('know private and reserved hosts from public ones', () => {
    for (const host of [
      'localhost',
      'media.local',
      'metadata.google.internal',
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '[::1]',
      '[fd00::1]',
      '[fe80::1]',
      '[::ffff:7f00:1]',
      '[::ffff:10.0.0.1]',
    ]) {
      expect(isPrivateHost(host), host).toBe(true);
    }
    for (const host of ['peer.example', '8.8.8.8', '172.32.0.1', '100.128.0.1', '[2001:db8::1]', '1.1.1.1']) {
      expect(isPrivateHost(host), host).toBe(false);
    }
  });
});
