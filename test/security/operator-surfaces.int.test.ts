import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_CONFIG, type TestApp } from '../../origin/test/harness.js';
import { expectErrorShape, listen } from './helpers.js';

// Defends (issue 9): /metrics, /readyz and the OpenAPI document listing /internal/ were public.
const OPERATOR = ['/metrics', '/readyz', '/internal/v1/openapi.json'];
const TOKEN = TEST_CONFIG.internalApiToken;

describe('operator surfaces on postgres', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('postgres');
  });
  afterAll(() => t.close());

  it.each(OPERATOR)(
    '%s answers 404 to the public, through the edge too, like an unknown route',
    async (path) => {
      const attempts: Array<Record<string, string>> = [
        {},
        { 'x-vidra-edge-token': TOKEN },
        { authorization: 'Bearer wrong-token-0123456789' },
        { authorization: TOKEN },
      ];
      for (const headers of attempts) {
        const res = await t.call('GET', path, { direct: true, headers });
        expect(res.status).toBe(404);
        expectErrorShape(res.body, 'not_found');
        expect(JSON.stringify(res.body)).not.toMatch(/process_|nodejs|database|internal\/v1\/videos/);
      }
    },
  );

  it.each(OPERATOR)('%s answers an operator holding the internal token', async (path) => {
    const res = await t.call('GET', path, { direct: true, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
  });

  it('answers a configured internal address without the token, but not the edge coming from it', async () => {
    const internal = await createTestApp('postgres', { internalAddresses: ['127.0.0.1'] });
    const origin = await listen(internal);
    try {
      const metrics = await fetch(`${origin.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/http_requests/);
      expect((await fetch(`${origin.url}/readyz`)).status).toBe(200);
      const proxied = await fetch(`${origin.url}/metrics`, { headers: { 'x-vidra-edge-token': TOKEN } });
      expect(proxied.status).toBe(404);
    } finally {
      await origin.close();
      await internal.close();
    }
  });

  it('keeps /healthz open for orchestrators', async () => {
    const res = await t.call('GET', '/healthz', { direct: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it('lists only public routes in the public OpenAPI document; the internal one lists them all', async () => {
    const pub = await t.call('GET', '/api/v1/openapi.json', { direct: true });
    expect(pub.status).toBe(200);
    const paths = Object.keys(pub.body.paths);
    expect(paths).toContain('/api/v1/videos');
    expect(paths.filter((p) => p.startsWith('/internal/') || p.startsWith('/api/v1/runners'))).toEqual([]);
    const text = JSON.stringify(pub.body);
    expect(text).not.toMatch(/internalAuth|runnerAuth|VideoAccessPolicy|\/internal\//);
    const full = await t.call('GET', '/internal/v1/openapi.json', {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const all = Object.keys(full.body.paths);
    expect(all).toContain('/internal/v1/videos/{id}/access');
    expect(all.some((p) => p.startsWith('/api/v1/runners/'))).toBe(true);
  });
});
