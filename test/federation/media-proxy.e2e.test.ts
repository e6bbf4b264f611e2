import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxiedMediaPath } from '../../protocol/federation/media-proxy.js';
import { killGroup } from '../support/stack.js';
import { startEdgeTier } from '../support/tiers.js';

const SECRET = 'media-proxy-e2e-secret-0123456789abcdef';
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);
const SEGMENT = Buffer.alloc(4096, 0x47);

/** A remote peer's static files, each request counted. */
const hits = new Map<string, number>();
const peer = createServer((req, res) => {
  const url = req.url ?? '/';
  hits.set(url, (hits.get(url) ?? 0) + 1);
  const files: Record<string, [string, string | Buffer]> = {
    '/thumbs/a.jpg': ['image/jpeg', JPEG],
    '/hls/master.m3u8': [
      'application/vnd.apple.mpegurl',
      '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\n360.m3u8\n',
    ],
    '/hls/360.m3u8': [
      'application/vnd.apple.mpegurl',
      '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg-0.ts\n#EXT-X-ENDLIST\n',
    ],
    '/hls/seg-0.ts': ['video/mp2t', SEGMENT],
    '/page.html': ['text/html', '<script>alert(1)</script>'],
  };
  if (url === '/moved') return void res.writeHead(302, { location: '/thumbs/a.jpg' }).end();
  const file = files[url];
  if (!file) return void res.writeHead(404).end();
  const body = Buffer.from(file[1]);
  const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
  if (range) {
    const [start, end] = [Number(range[1]), Number(range[2])];
    res.writeHead(206, {
      'content-type': file[0],
      'content-range': `bytes ${start}-${end}/${body.length}`,
      'content-length': end - start + 1,
    });
    return void res.end(body.subarray(start, end + 1));
  }
  res.writeHead(200, { 'content-type': file[0], 'content-length': body.length }).end(body);
});
let peerBase: string;
let edgeUrl: string;
let edge: Awaited<ReturnType<typeof startEdgeTier>>['edge'];
const dir = mkdtempSync(path.join(tmpdir(), 'vidra-media-proxy-'));

beforeAll(async () => {
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
  peerBase = `http://127.0.0.1:${(peer.address() as AddressInfo).port}`;
  // The edge needs an origin to be configured; these tests never reach it.
  const started = await startEdgeTier(peerBase, path.join(dir, 'edge'), 'media-proxy-internal-token-0123', {
    FEDERATION_MEDIA_PROXY: 'on',
    FEDERATION_MEDIA_PROXY_SECRET: SECRET,
    FEDERATION_MEDIA_PROXY_PRIVATE: 'true', // the peer is on loopback here
  });
  edge = started.edge;
  edgeUrl = started.url;
}, 120_000);

afterAll(async () => {
  if (edge) await killGroup(edge.child);
  await new Promise<void>((resolve) => peer.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const proxied = async (url: string) => `${edgeUrl}${await proxiedMediaPath(SECRET, url)}`;

describe('the edge media proxy, in workerd', () => {
  it('serves a signed remote thumbnail, from its cache the second time', async () => {
    const first = await fetch(await proxied(`${peerBase}/thumbs/a.jpg`));
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/jpeg');
    expect(first.headers.get('x-vidra-cache')).toBe('MISS');
    expect(Buffer.from(await first.arrayBuffer())).toEqual(JPEG);
    const second = await fetch(await proxied(`${peerBase}/thumbs/a.jpg`));
    expect(second.headers.get('x-vidra-cache')).toBe('HIT');
    expect(Buffer.from(await second.arrayBuffer())).toEqual(JPEG);
    expect(hits.get('/thumbs/a.jpg')).toBe(1);
  });

  it('rewrites playlists so variants and segments come through it too', async () => {
    const master = await fetch(await proxied(`${peerBase}/hls/master.m3u8`));
    expect(master.status).toBe(200);
    expect(master.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    const variantPath = await proxiedMediaPath(SECRET, `${peerBase}/hls/360.m3u8`);
    expect(await master.text()).toBe(
      `#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\n${variantPath}\n`,
    );
    const variant = await fetch(`${edgeUrl}${variantPath}`);
    const segmentPath = await proxiedMediaPath(SECRET, `${peerBase}/hls/seg-0.ts`);
    expect(await variant.text()).toBe(
      `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n${segmentPath}\n#EXT-X-ENDLIST\n`,
    );
    const segment = await fetch(`${edgeUrl}${segmentPath}`);
    expect(segment.headers.get('content-type')).toBe('video/mp2t');
    expect(Buffer.from(await segment.arrayBuffer())).toEqual(SEGMENT);
    const part = await fetch(`${edgeUrl}${segmentPath}`, { headers: { range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${SEGMENT.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(SEGMENT.subarray(10, 20));
  });

  it('is no open proxy: unsigned, forged, HTML and redirects are refused', async () => {
    const signed = await proxiedMediaPath(SECRET, `${peerBase}/thumbs/a.jpg`);
    const [, , , signature] = signed.split('/');
    const other = (await proxiedMediaPath(SECRET, 'http://127.0.0.1:1/x')).split('/')[4];
    const forged = await fetch(`${edgeUrl}/federation/media/${signature}/${other}`);
    expect(forged.status).toBe(403);
    expect((await forged.json()).error.code).toBe('forbidden');
    const unsigned = await fetch(
      `${edgeUrl}/federation/media/x/${Buffer.from(`${peerBase}/x`).toString('base64url')}`,
    );
    expect(unsigned.status).toBe(403);
    const wrongSecret = await proxiedMediaPath(`${SECRET}-other`, `${peerBase}/thumbs/a.jpg`);
    expect((await fetch(`${edgeUrl}${wrongSecret}`)).status).toBe(403);
    const html = await fetch(await proxied(`${peerBase}/page.html`));
    expect(html.status).toBe(502);
    expect(await html.text()).not.toContain('<script>');
    expect((await fetch(await proxied(`${peerBase}/moved`))).status).toBe(502);
    expect((await fetch(await proxied(`${peerBase}/missing.jpg`))).status).toBe(404);
  });
});
