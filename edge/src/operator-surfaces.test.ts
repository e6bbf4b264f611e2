import { describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '../../protocol/errors.js';
import { echoThroughEdge, edgeFetch, ORIGIN_ENV } from '../test/edge-client.js';
import { edge, REAL } from '../test/real-client.js';

// Defends: /metrics, /readyz and the internal OpenAPI were public through the edge, and the edge
// forwarded whatever X-Forwarded-For or edge token a client sent (issue 9, 3 and 5).
const TOKEN = 'edge-internal-token-0123456789';
const ENV = { ...ORIGIN_ENV, INTERNAL_API_TOKEN: TOKEN };

describe('operator surfaces through the edge', () => {
  it.each([
    '/metrics',
    '/readyz',
    '/internal',
    '/internal/v1/openapi.json',
    '/internal/v1/videos/x/policy',
    '/%6detrics',
  ])('%s answers 404 in the one error shape, never reaching the origin', async (path) => {
    for (const method of ['GET', 'POST', 'HEAD']) {
      const res = await edgeFetch(path, { method, headers: { authorization: `Bearer ${TOKEN}` } }, ENV);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('x-origin')).toBeNull();
      if (method !== 'HEAD') expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('not_found');
    }
  });

  it("strips a client's Authorization: Bearer <internal token>, and only that one", async () => {
    const internal = await edgeFetch('/echo', { headers: { authorization: `Bearer ${TOKEN}` } }, ENV);
    expect(
      (await internal.json<{ headers: Record<string, string> }>()).headers.authorization,
    ).toBeUndefined();
    const other = await edgeFetch('/echo', { headers: { authorization: `Bearer ${TOKEN}x` } }, ENV);
    expect((await other.json<{ headers: Record<string, string> }>()).headers.authorization).toBe(
      `Bearer ${TOKEN}x`,
    );
  });

  it('vouches for its own X-Forwarded-For with the edge token, overwriting what the client sent', async () => {
    const res = await edgeFetch(
      '/echo',
      {
        headers: {
          'cf-connecting-ip': '203.0.113.7',
          'x-forwarded-for': '6.6.6.6',
          'x-real-ip': '8.8.8.8',
          forwarded: 'for=9.9.9.9',
          'x-vidra-edge-token': 'forged',
        },
      },
      ENV,
    );
    const { headers } = await res.json<{ headers: Record<string, string | undefined> }>();
    expect(headers['x-forwarded-for']).toBe('203.0.113.7');
    expect(headers['x-vidra-edge-token']).toBe(TOKEN);
    expect(headers['x-real-ip']).toBeUndefined();
    expect(headers.forwarded).toBeUndefined();
    expect(headers['cf-connecting-ip']).toBeUndefined();
  });

  it('sends no edge token and no X-Forwarded-For it could not decide', async () => {
    const { echo } = await echoThroughEdge('/echo', {
      headers: { 'x-forwarded-for': '6.6.6.6', 'x-vidra-edge-token': 'forged' },
    });
    expect(echo.headers['x-forwarded-for']).toBeUndefined();
    expect(echo.headers['x-vidra-edge-token']).toBeUndefined();
  });
});

describe('nosniff on every edge answer', () => {
  it.each([
    ['a proxied origin answer', '/anything', ENV],
    ['an edge error', '/metrics', ENV],
    ['a refused playback token', '/play/not-a-token/master.m3u8', ENV],
    ['a misconfigured edge', '/x', {}],
  ])('%s', async (_, path, env) => {
    const res = await edgeFetch(path, undefined, env);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('API JSON and pages', async () => {
    for (const path of ['/api/v1/videos', '/', '/login']) {
      const res = await edge(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});

describe('origin errors pass through the edge unchanged', () => {
  it('a tus error keeps its status, JSON type and body', async () => {
    const init = () => ({
      method: 'PATCH',
      headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'text/plain' },
      body: 'x',
    });
    const direct = await fetch(`${REAL.url}/api/v1/uploads/does-not-exist`, init());
    const through = await edge('/api/v1/uploads/does-not-exist', init());
    expect(through.status).toBe(direct.status);
    expect(through.status).toBeGreaterThanOrEqual(400);
    expect(through.headers.get('content-type')).toBe(direct.headers.get('content-type'));
    expect(through.headers.get('content-type')).toMatch(/^application\/json/);
    const [a, b] = [ErrorBodySchema.parse(await direct.json()), ErrorBodySchema.parse(await through.json())];
    expect(b.error.code).toBe(a.error.code);
    expect(b.error.message).toBe(a.error.message);
  });
});
