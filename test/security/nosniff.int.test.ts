import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_CONFIG, type TestApp } from '../../origin/test/harness.js';

// Defends (issue 9): API JSON lacked X-Content-Type-Options: nosniff.
describe('nosniff on every origin response on postgres', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('postgres');
  });
  afterAll(() => t.close());

  it('carries nosniff on JSON, errors, text, tus and internal media responses', async () => {
    const user = await t.signUp('sniff');
    const auth = `Bearer ${TEST_CONFIG.internalApiToken}`;
    const responses = [
      await t.call('GET', '/healthz'),
      await t.call('GET', '/api/v1/users/me', { token: user.token }),
      await t.call('GET', '/api/v1/videos/not-a-uuid'),
      await t.call('GET', '/no/such/route'),
      await t.call('POST', '/api/v1/auth/login', { body: { email: 'x' } }),
      await t.call('GET', '/metrics', { headers: { authorization: auth } }),
      await t.call('GET', '/.well-known/jwks.json'),
      await t.call('OPTIONS', '/api/v1/uploads'),
      await t.call('POST', '/api/v1/uploads', { headers: { 'tus-resumable': '1.0.0' } }),
      await t.call('GET', '/internal/v1/media/videos/6f1c5a8e-0000-4000-8000-000000000000/hls/master.m3u8', {
        headers: { authorization: auth },
      }),
    ];
    for (const res of responses) expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
