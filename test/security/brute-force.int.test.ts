import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, randomIp, TEST_CONFIG, type TestApp } from '../../origin/test/harness.js';
import { expectErrorShape, listen, videoOf } from './helpers.js';

// Defends (issue 9): rotating CF-Connecting-IP / X-Forwarded-For / X-Real-IP bypassed the
// video-password throttle; five wrong passwords locked an email for everyone (a DoS on any account).
const EDGE = { 'x-vidra-edge-token': TEST_CONFIG.internalApiToken };

describe('brute-force throttles on postgres', () => {
  let t: TestApp;
  let origin: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    t = await createTestApp('postgres');
    origin = await listen(t);
  });
  afterAll(async () => {
    await origin.close();
    await t.close();
  });

  /** A request straight to the origin's socket, as an attacker on the network would send it. */
  const direct = (
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: unknown },
  ) =>
    fetch(`${origin.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...init.headers },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });
  const forged = () => {
    const ip = randomIp();
    return { 'x-forwarded-for': ip, 'x-real-ip': ip, 'cf-connecting-ip': ip };
  };

  it('throttles 25 wrong video passwords sent straight to the origin with rotating forwarding headers', async () => {
    const owner = await t.signUp('vpw');
    const id = await videoOf(t, owner, { privacy: 'password', password: 'open sesame' });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 25; i++) {
      last = await direct(`/api/v1/videos/${id}`, {
        headers: { ...forged(), 'x-video-password': `guess ${i}` },
      });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expectErrorShape(await last?.json(), 'too_many_requests');
    // Even the right password waits at that address: a guess that hits must not be told apart.
    const right = await direct(`/api/v1/videos/${id}`, {
      headers: { ...forged(), 'x-video-password': 'open sesame' },
    });
    expect(right.status).toBe(429);
  });

  it('slows a guesser rotating real addresses through the edge with the per-video ceiling', async () => {
    const owner = await t.signUp('vpw2');
    const id = await videoOf(t, owner, { privacy: 'password', password: 'open sesame' });
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await t.call('GET', `/api/v1/videos/${id}`, {
        headers: { 'x-video-password': `guess ${i}` },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 403)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
  });

  it('lets a viewer at a fresh address in with the right password after another address failed', async () => {
    const owner = await t.signUp('vpw3');
    const id = await videoOf(t, owner, { privacy: 'password', password: 'open sesame' });
    const attacker = randomIp();
    for (let i = 0; i < 8; i++)
      await t.call('GET', `/api/v1/videos/${id}`, {
        ip: attacker,
        headers: { 'x-video-password': `x ${i}` },
      });
    const viewer = await t.call('GET', `/api/v1/videos/${id}`, {
      headers: { 'x-video-password': 'open sesame' },
    });
    expect(viewer.status).toBe(200);
  });

  it('never locks the account owner out from another address, however much one address fails', async () => {
    const victim = await t.signUp('victim');
    const attacker = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await t.call('POST', '/api/v1/auth/login', {
        ip: attacker,
        body: { email: victim.email, password: `guess-${i}-long` },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    const owner = await t.call('POST', '/api/v1/auth/login', {
      ip: randomIp(),
      body: { email: victim.email, password: victim.password },
    });
    expect(owner.status).toBe(200);
    expect(owner.body.accessToken).toBeTruthy();
  });

  it('ignores forged forwarding headers on sign-in straight to the origin', async () => {
    const victim = await t.signUp('direct');
    for (let i = 0; i < 5; i++) {
      const res = await direct('/api/v1/auth/login', {
        method: 'POST',
        headers: forged(),
        body: { email: victim.email, password: `guess-${i}-long` },
      });
      expect(res.status).toBe(401);
    }
    const sixth = await direct('/api/v1/auth/login', {
      method: 'POST',
      headers: forged(),
      body: { email: victim.email, password: 'guess-6-long' },
    });
    expect(sixth.status).toBe(429);
    expectErrorShape(await sixth.json(), 'too_many_requests');
    // The edge, vouching for the owner's real address, still gets them in.
    const owner = await direct('/api/v1/auth/login', {
      method: 'POST',
      headers: { ...EDGE, 'x-forwarded-for': randomIp() },
      body: { email: victim.email, password: victim.password },
    });
    expect(owner.status).toBe(200);
  });

  it('delays a distributed guesser past 50 failures, but not the owner at an address they signed in from', async () => {
    const victim = await t.signUp('dist');
    const home = randomIp();
    expect(
      (
        await t.call('POST', '/api/v1/auth/login', {
          ip: home,
          body: { email: victim.email, password: victim.password },
        })
      ).status,
    ).toBe(200);
    for (let i = 0; i < 50; i++) {
      const res = await t.call('POST', '/api/v1/auth/login', {
        body: { email: victim.email, password: `g-${i}-long` },
      });
      expect(res.status).toBe(401);
    }
    const next = await t.call('POST', '/api/v1/auth/login', {
      body: { email: victim.email, password: 'g-51-long' },
    });
    expect(next.status).toBe(429);
    expect(Number(next.headers.get('retry-after'))).toBeGreaterThan(0);
    const atHome = await t.call('POST', '/api/v1/auth/login', {
      ip: home,
      body: { email: victim.email, password: victim.password },
    });
    expect(atHome.status).toBe(200);
  });

  it('delays password spraying from one address across many accounts', async () => {
    const sprayer = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const res = await t.call('POST', '/api/v1/auth/login', {
        ip: sprayer,
        body: { email: `spray-${i}@example.com`, password: 'Summer2024!!' },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });
});
