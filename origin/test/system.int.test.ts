import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_CONFIG, type TestApp } from './harness.js';

/** Operator surfaces answer only the internal token (or an internal address); see test/security/. */
const OPERATOR = { headers: { authorization: `Bearer ${TEST_CONFIG.internalApiToken}` } };

describe('system endpoints and the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(() => t.close());

  it('answers liveness and readiness', async () => {
    expect((await t.call('GET', '/healthz')).body).toEqual({ ok: true });
    expect((await t.call('GET', '/readyz', OPERATOR)).body).toEqual({ ok: true, checks: { database: 'ok' } });
  });

  it('reports not ready once the database is gone', async () => {
    const broken = await createTestApp('pglite');
    await broken.close();
    const res = await broken.call('GET', '/readyz', OPERATOR);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ ok: false, checks: { database: 'unreachable' } });
  });

  it('exposes Prometheus metrics labelled by route pattern', async () => {
    await t.call('GET', '/api/v1/videos/6f1c5a8e-0000-4000-8000-000000000000');
    const res = await t.call('GET', '/metrics', OPERATOR);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.body).toContain(
      'vidra_http_requests_total{method="GET",route="/api/v1/videos/:id",status="404"} 1',
    );
  });

  it('tags every response with a request id, honouring one sent by the edge', async () => {
    const own = await t.call('GET', '/healthz');
    expect(own.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
    const given = await t.call('GET', '/nowhere', { headers: { 'x-request-id': 'edge-abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('edge-abc-123');
    expect(given.status).toBe(404);
    expect(given.body).toEqual({
      error: { code: 'not_found', message: 'No route for GET /nowhere', requestId: 'edge-abc-123' },
    });
  });

  it('serves operators a valid OpenAPI document that lists every route', async () => {
    const res = await t.call('GET', '/internal/v1/openapi.json', OPERATOR);
    expect(res.status).toBe(200);
    const document = structuredClone(res.body);
    await expect(SwaggerParser.validate(document)).resolves.toBeTruthy();

    const documented = new Set<string>();
    for (const [path, item] of Object.entries(res.body.paths as Record<string, object>)) {
      for (const method of Object.keys(item))
        documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const served = new Set(
      t.app.routes
        .filter((r) => r.method !== 'ALL' && !r.path.endsWith('/openapi.json'))
        .map((r) => `${r.method} ${r.path.replace(/\{[^}]+\}/g, '')}`),
    );
    expect(served.size).toBeGreaterThanOrEqual(28);
    for (const route of served) expect(documented).toContain(route);
    // tus is mounted as catch-all routes; its methods are documented one by one.
    for (const route of [
      'POST /api/v1/uploads',
      'HEAD /api/v1/uploads/:id',
      'PATCH /api/v1/uploads/:id',
      'DELETE /api/v1/uploads/:id',
    ]) {
      expect(documented).toContain(route);
    }
    const undocumentedExtras = [...documented].filter(
      (r) => !served.has(r) && !r.includes('/api/v1/uploads'),
    );
    expect(undocumentedExtras).toEqual([]);
  });
});
