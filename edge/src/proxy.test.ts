import { describe, expect, it } from 'vitest';
import { EDGE_HOST, echoThroughEdge, edgeFetch, ORIGIN_URL } from '../test/edge-client.js';

describe('proxy: request to the origin', () => {
  it('forwards method, path, query, headers and body', async () => {
    const { res, echo } = await echoThroughEdge('/api/v1/videos/abc?page=2&q=two%20words', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Basic dXNlcjpwYXNz',
        'x-custom': 'kept',
        'cf-connecting-ip': '203.0.113.7',
        // A client-supplied X-Forwarded-For is spoofable and must not reach the origin.
        'x-forwarded-for': '6.6.6.6',
        'x-request-id': 'client-req-42',
      },
      body: JSON.stringify({ title: 'Hello' }),
    });
    expect(res.status).toBe(200);
    expect(echo.method).toBe('POST');
    expect(echo.url).toBe('/api/v1/videos/abc?page=2&q=two%20words');
    expect(echo.body).toBe('{"title":"Hello"}');
    expect(echo.headers['content-type']).toBe('application/json');
    expect(echo.headers.authorization).toBe('Basic dXNlcjpwYXNz');
    expect(echo.headers['x-custom']).toBe('kept');
    expect(echo.headers['x-forwarded-for']).toBe('203.0.113.7');
    expect(echo.headers['x-forwarded-host']).toBe(EDGE_HOST);
    expect(echo.headers['x-forwarded-proto']).toBe('https');
    expect(echo.headers['x-request-id']).toBe('client-req-42');
    expect(echo.headers.host).toBe(new URL(ORIGIN_URL).host);
    expect(res.headers.get('x-request-id')).toBe('client-req-42');
  });

  it.each(['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('keeps the %s method', async (method) => {
    const { echo } = await echoThroughEdge('/api/v1/thing?x=1', { method });
    expect(echo.method).toBe(method);
    expect(echo.url).toBe('/api/v1/thing?x=1');
  });

  it('forwards HEAD as HEAD and returns headers without a body', async () => {
    const res = await edgeFetch('/api/v1/thing', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-origin')).toBe('vidra-origin');
    expect(await res.text()).toBe('');
  });

  it('mints a request id when none (or a malformed one) comes in, and sends the same id both ways', async () => {
    for (const incoming of [undefined, 'has spaces and ; semicolons']) {
      const headers: Record<string, string> = incoming ? { 'x-request-id': incoming } : {};
      const { res, echo } = await echoThroughEdge('/id', { headers });
      const forwarded = echo.headers['x-request-id'];
      expect(forwarded).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(res.headers.get('x-request-id')).toBe(forwarded);
    }
  });

  it('drops X-Forwarded-For when the edge decided no client address', async () => {
    const { echo } = await echoThroughEdge('/xff', { headers: { 'x-forwarded-for': '6.6.6.6' } });
    expect(echo.headers['x-forwarded-for']).toBeUndefined();
  });

  it('strips hop-by-hop headers, including those named in Connection', async () => {
    const { echo } = await echoThroughEdge('/hop', {
      headers: {
        connection: 'x-drop-me',
        'x-drop-me': 'secret',
        'keep-alive': 'timeout=99',
        'proxy-authorization': 'Basic Zm9vOmJhcg==',
        te: 'trailers',
        upgrade: 'websocket',
        'x-kept': 'yes',
      },
    });
    expect(echo.headers['x-kept']).toBe('yes');
    for (const name of ['x-drop-me', 'keep-alive', 'proxy-authorization', 'te', 'upgrade']) {
      expect(echo.headers[name], name).toBeUndefined();
    }
  });

  it('settles Expect: 100-continue at the edge instead of forwarding it', async () => {
    // Forwarded, the origin would answer an interim 100 that a Worker cannot relay.
    const { res, echo } = await echoThroughEdge('/upload-with-expect', {
      method: 'POST',
      headers: { expect: '100-continue' },
      body: 'payload',
    });
    expect(res.status).toBe(200);
    expect(echo.headers.expect).toBeUndefined();
    expect(echo.body).toBe('payload');
  });

  it('never lets a protocol-relative path switch the upstream host', async () => {
    const { echo } = await echoThroughEdge('//evil.example/steal?x=1');
    expect(echo.url).toBe('//evil.example/steal?x=1');
    expect(echo.headers.host).toBe(new URL(ORIGIN_URL).host);
  });
});

describe('proxy: response from the origin', () => {
  it('returns status, headers (every Set-Cookie) and body unchanged', async () => {
    const res = await edgeFetch('/respond?status=201');
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(res.headers.get('x-origin')).toBe('vidra-origin');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
    expect(res.headers.get('keep-alive')).toBeNull();
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.text()).toBe('hello from origin (201)');
  });

  it("passes the origin's own errors through instead of rewriting them", async () => {
    const res = await edgeFetch('/respond?status=404');
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('hello from origin (404)');
  });

  it('passes bodiless statuses through', async () => {
    const res = await edgeFetch('/respond?status=204');
    expect(res.status).toBe(204);
    expect(res.headers.get('x-origin')).toBe('vidra-origin');
    expect(res.body).toBeNull();
  });

  it('hands redirects to the client instead of following them', async () => {
    const res = await edgeFetch('/redirect');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/landed');
  });
});
