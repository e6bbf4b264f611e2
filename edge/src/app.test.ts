import { describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '../../protocol/errors.js';
import { DEAD_ENV, edgeFetch } from '../test/edge-client.js';
import { EDGE_HEALTH_PATH } from './app.js';

describe('edge app', () => {
  it('answers its own health check without touching the origin', async () => {
    // Pointed at a dead origin: a proxied health check would come back 502.
    const res = await edgeFetch(EDGE_HEALTH_PATH, undefined, DEAD_ENV);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('answers 502 bad_gateway in the house error shape when the origin is unreachable', async () => {
    const res = await edgeFetch('/api/v1/videos', { headers: { 'x-request-id': 'req-dead-1' } }, DEAD_ENV);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-request-id')).toBe('req-dead-1');
    const body = ErrorBodySchema.parse(await res.json());
    expect(body).toEqual({
      error: { code: 'bad_gateway', message: 'The origin could not be reached', requestId: 'req-dead-1' },
    });
  });

  it('streams nothing and still answers 502 when an upload targets a dead origin', async () => {
    const res = await edgeFetch('/files/abc', { method: 'PATCH', body: new Uint8Array(1024) }, DEAD_ENV);
    expect(res.status).toBe(502);
    expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('bad_gateway');
  });

  it('answers 500 internal_error without leaking details when the bindings are invalid', async () => {
    for (const env of [{}, { ORIGINS: 'ftp://nope.example.com' }, { ORIGINS: ' , ' }]) {
      const res = await edgeFetch('/anything', { headers: { 'x-request-id': 'req-cfg' } }, env);
      expect(res.status).toBe(500);
      const body = ErrorBodySchema.parse(await res.json());
      expect(body.error).toEqual({
        code: 'internal_error',
        message: 'The edge is misconfigured',
        requestId: 'req-cfg',
      });
    }
  });

  it('validates bindings before answering anything, health check included', async () => {
    const res = await edgeFetch(EDGE_HEALTH_PATH, undefined, {});
    expect(res.status).toBe(500);
    expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('internal_error');
  });
});
