import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPlatform, startPlatform } from '../support/platform.js';
import { passwordVideoAt } from './forged-guesses.js';

// Defends (issue 9, 3): under `wrangler dev` the edge believed a client-sent CF-Connecting-IP, so
// rotating it (or X-Forwarded-For, X-Real-IP) made every per-address throttle free. Acceptance:
// 25 wrong video passwords, each with different forged address headers, are throttled through
// `npm start`, and the right password is not accepted while the throttle holds.
describe('forged client addresses through npm start', () => {
  let platform: RunningPlatform;

  beforeAll(async () => {
    platform = await startPlatform();
  }, 130_000);
  afterAll(() => platform?.stop());

  it('throttles 25 wrong video passwords sent with rotating CF-Connecting-IP, X-Forwarded-For and X-Real-IP', async () => {
    const { guess } = await passwordVideoAt(platform.edgeUrl, 'pw_owner');
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await guess(`wrong guess ${i}`, i)).status);
    // The first few are plain wrong passwords; past the threshold every guess waits (429).
    expect(statuses.slice(0, 3)).toEqual([403, 403, 403]);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
    expect(statuses.slice(-5)).toEqual([429, 429, 429, 429, 429]);
    expect(statuses.every((s) => s === 403 || s === 429)).toBe(true);
    const right = await guess('the right password', 99);
    expect(right.status).toBe(429);
    // The origin's password throttle, not only the edge's request budget.
    expect((await right.json()).error.message).toMatch(/wrong passwords/);
    expect(right.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
