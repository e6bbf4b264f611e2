import { describe, expect, inject, it } from 'vitest';
import type { ErrorBody } from '../../protocol/errors.js';
import { edge, REAL, realEnv } from '../test/real-client.js';
import { fetchWithFailover, OriginPool } from './routing.js';

const DEAD = inject('deadOriginUrl');

describe('origin routing', () => {
  it('fails over to the next origin for idempotent requests and remembers the dead one', async () => {
    const env = realEnv({ ORIGINS: `${DEAD},${REAL.url}` });
    const first = await edge('/healthz', {}, env);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true });
    const second = await edge('/api/v1/videos', {}, env);
    expect(second.status).toBe(200);
  });

  it('does not replay a request with a body on another origin', async () => {
    const env = realEnv({ ORIGINS: `${DEAD},${REAL.url}` });
    const res = await edge(
      '/api/v1/auth/login',
      { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } },
      env,
    );
    expect(res.status).toBe(502);
    expect((await res.json<ErrorBody>()).error.code).toBe('bad_gateway');
  });

  it('orders healthy origins first and brings a marked-down origin back after its timeout', async () => {
    let now = 0;
    const pool = new OriginPool(['a', 'b', 'c'], { downForMs: 1000, now: () => now });
    pool.markDown('a');
    expect(pool.candidates()).toEqual(['b', 'c', 'a']);
    now = 1001;
    expect(pool.candidates()).toEqual(['a', 'b', 'c']);
    const tried: string[] = [];
    const res = await fetchWithFailover(pool, 'GET', async (origin) => {
      tried.push(origin);
      return new Response(null, { status: origin === 'a' ? 503 : 200 });
    });
    expect(res.status).toBe(200);
    expect(tried).toEqual(['a', 'b']);
    expect(pool.candidates()[0]).toBe('b');
  });
});
