import { describe, expect, it } from 'vitest';
import { edgeFetch, ORIGIN_URL, randomBytes, sha256Hex } from '../test/edge-client.js';

const decoder = new TextDecoder();

describe('proxy: streaming bodies', () => {
  it('round-trips a few hundred KB tus-style PATCH body byte for byte', async () => {
    const payload = randomBytes(384 * 1024);
    const res = await edgeFetch('/echo-body', {
      method: 'PATCH',
      headers: {
        'content-type': 'application/offset+octet-stream',
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
      },
      body: payload,
    });
    expect(res.status).toBe(200);
    // A known-length body must reach the origin with its Content-Length (tus servers rely on it).
    expect(res.headers.get('x-seen-content-length')).toBe(String(payload.length));
    const echoed = new Uint8Array(await res.arrayBuffer());
    expect(echoed.length).toBe(payload.length);
    expect(await sha256Hex(echoed)).toBe(await sha256Hex(payload));
  });

  it('forwards upload bytes to the origin before the client has finished sending', async () => {
    const key = crypto.randomUUID();
    const chunks = Array.from({ length: 6 }, () => randomBytes(64 * 1024));
    const whole = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    chunks.forEach((chunk, i) => {
      whole.set(chunk, i * chunk.length);
    });

    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    const pending = edgeFetch(`/upload?key=${key}`, { method: 'POST', body: readable });
    const first = chunks[0] as Uint8Array;
    const firstWrite = writer.write(first);

    // Ask the origin directly whether the first chunk has arrived while the body is still open.
    // A proxy that buffered the body would never deliver it, and this would answer 408.
    const progress = await fetch(`${ORIGIN_URL}/upload-progress?key=${key}&atLeast=${first.length}`);
    expect(progress.status).toBe(200);
    const seen = ((await progress.json()) as { bytes: number }).bytes;
    expect(seen).toBeGreaterThanOrEqual(first.length);
    expect(seen).toBeLessThan(whole.length);

    await firstWrite;
    for (const chunk of chunks.slice(1)) await writer.write(chunk);
    await writer.close();

    const res = await pending;
    expect(res.status).toBe(200);
    const result = (await res.json()) as { bytes: number; sha256: string };
    expect(result.bytes).toBe(whole.length);
    expect(result.sha256).toBe(await sha256Hex(whole));
  });

  it('streams server-sent events to the client as the origin emits them', async () => {
    const key = crypto.randomUUID();
    const res = await edgeFetch(`/sse?key=${key}`, { headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();

    // The origin holds the second event until released, so reading the first one here proves
    // the edge passed it on without waiting for the response to end.
    let text = '';
    while (!text.includes('data: first\n\n')) {
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      text += decoder.decode(value, { stream: true });
    }
    expect(text).not.toContain('second');

    const release = await fetch(`${ORIGIN_URL}/sse-release?key=${key}`);
    expect(release.status).toBe(204);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toBe('data: first\n\ndata: second\n\n');
  });
});
