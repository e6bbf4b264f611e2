import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness.js';

const b64 = (value: string) => Buffer.from(value).toString('base64');

/**
 * tus through a real @hono/node-server socket, where PATCH and creation-with-upload bodies take the
 * Node lane (routes/tus-node-body.ts: the IncomingMessage piped into the store) instead of the web
 * stream that `app.request()` tests exercise.
 */
describe('tus uploads over a real socket (the Node body lane)', () => {
  let t: TestApp;
  let server: ReturnType<typeof serve>;
  let url: string;
  let token: string;
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp('pglite', {
      uploads: { maxBytes: 8 * 1024 * 1024, defaultQuotaBytes: 64 * 1024 * 1024, expirySeconds: 3600 },
    });
    server = serve({ fetch: t.app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const owner = await t.signUp('lane');
    token = owner.token;
    channelId = (
      await t.call('POST', '/api/v1/channels', {
        token,
        body: { handle: `lane_${owner.userId.slice(0, 6)}`, displayName: 'Lane' },
      })
    ).body.id;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  });

  const tusHeaders = () => ({ 'tus-resumable': '1.0.0', authorization: `Bearer ${token}` });
  const newVideo = async () =>
    (await t.call('POST', '/api/v1/videos', { token, body: { channelId, title: 'clip' } })).body.video
      .id as string;
  const create = async (videoId: string, length: number) => {
    const res = await fetch(`${url}/api/v1/uploads`, {
      method: 'POST',
      headers: {
        ...tusHeaders(),
        'upload-length': String(length),
        'upload-metadata': `videoId ${b64(videoId)},filename ${b64('clip.mp4')}`,
      },
    });
    expect(res.status).toBe(201);
    return new URL(res.headers.get('location') as string, url).toString();
  };
  /** A streamed PATCH (chunked, no Content-Length), like tus-js-client with a stream source. */
  const patch = (uploadUrl: string, offset: number, bytes: Uint8Array) => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(sent, sent + 64 * 1024));
        sent += 64 * 1024;
      },
    });
    return fetch(uploadUrl, {
      method: 'PATCH',
      headers: {
        ...tusHeaders(),
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
      },
      body,
      duplex: 'half',
    } as RequestInit);
  };
  const stored = async (videoId: string) => {
    const object = await t.storage.get(`sources/${videoId}/original`);
    return object ? Buffer.from(await new Response(object.body).arrayBuffer()) : undefined;
  };

  it('stores a streamed upload in two PATCHes byte for byte, and queues the video', async () => {
    const videoId = await newVideo();
    const bytes = randomBytes(3 * 1024 * 1024 + 123);
    const uploadUrl = await create(videoId, bytes.length);
    const first = await patch(uploadUrl, 0, bytes.subarray(0, 1024 * 1024));
    expect(first.status).toBe(204);
    expect(first.headers.get('upload-offset')).toBe(String(1024 * 1024));
    const last = await patch(uploadUrl, 1024 * 1024, bytes.subarray(1024 * 1024));
    expect(last.status).toBe(204);
    expect(last.headers.get('upload-offset')).toBe(String(bytes.length));
    expect((await stored(videoId))?.equals(bytes)).toBe(true);
    const video = (await t.call('GET', `/api/v1/videos/${videoId}`, { token })).body;
    expect(video.state).toBe('queued');
  });

  it('refuses a PATCH longer than the upload with 413 and keeps the offset where it was', async () => {
    const videoId = await newVideo();
    const uploadUrl = await create(videoId, 1000);
    const res = await patch(uploadUrl, 0, randomBytes(200_000));
    expect(res.status).toBe(413);
    const head = await fetch(uploadUrl, { method: 'HEAD', headers: tusHeaders() });
    expect(Number(head.headers.get('upload-offset'))).toBeLessThanOrEqual(1000);
    expect(await stored(videoId)).toBeUndefined();
  });

  it('keeps what arrived before a client hangs up, and the upload resumes from there', async () => {
    const videoId = await newVideo();
    const bytes = randomBytes(2 * 1024 * 1024);
    const uploadUrl = await create(videoId, bytes.length);
    const abort = new AbortController();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= 1024 * 1024) {
          // Hang up mid-body, once the origin has had time to write what it got.
          await new Promise((resolve) => setTimeout(resolve, 300));
          abort.abort();
          return;
        }
        controller.enqueue(bytes.subarray(sent, sent + 64 * 1024));
        sent += 64 * 1024;
      },
    });
    await fetch(uploadUrl, {
      method: 'PATCH',
      headers: { ...tusHeaders(), 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body,
      duplex: 'half',
      signal: abort.signal,
    } as RequestInit).catch(() => undefined);
    // The origin notices the hang-up on its own schedule: wait until the offset settles.
    let offset = -1;
    for (let i = 0; i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const head = await fetch(uploadUrl, { method: 'HEAD', headers: tusHeaders() });
      const now = Number(head.headers.get('upload-offset'));
      if (now === offset && now > 0) break;
      offset = now;
    }
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(1024 * 1024);
    const staged = statSync(
      path.join(t.uploadStagingDir, new URL(uploadUrl).pathname.split('/').at(-1) as string),
    );
    expect(staged.size).toBe(offset);
    const rest = await patch(uploadUrl, offset, bytes.subarray(offset));
    expect(rest.status).toBe(204);
    expect((await stored(videoId))?.equals(bytes)).toBe(true);
  });
});
