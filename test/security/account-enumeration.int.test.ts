import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../origin/test/harness.js';
import { expectErrorShape } from './helpers.js';

// Defends (issue 9): registration confirmed which emails exist (409 "An account with this email already exists").
describe('account enumeration through registration on postgres', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('postgres');
  });
  afterAll(() => t.close());

  const register = (email: string, username: string) =>
    t.call('POST', '/api/v1/auth/register', { body: { email, username, password: 'a long password' } });

  it('answers a taken email exactly like a free one, and notifies the existing account instead', async () => {
    const user = await t.signUp('enum');
    const fresh = await register(`fresh-${Date.now()}@example.com`, `fresh_${Date.now()}`);
    const taken = await register(user.email.toUpperCase(), `other_${Date.now()}`);
    expect(taken.status).toBe(fresh.status);
    expect(taken.status).toBe(202);
    expect(taken.body).toEqual(fresh.body);
    expect(taken.headers.get('content-type')).toBe(fresh.headers.get('content-type'));
    expect(JSON.stringify(taken.body)).not.toMatch(/already|exists/i);
    const notices = t.mailbox.filter((m) => m.to === user.email);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.subject).toMatch(/register/i);
    // The attempt changed nothing: the owner's password still works, the attacker's does not.
    const attacker = await t.call('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: 'a long password' },
    });
    expect(attacker.status).toBe(401);
    const owner = await t.call('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: user.password },
    });
    expect(owner.status).toBe(200);
  });

  it('takes about as long for a taken email as for a free one (the password is hashed either way)', async () => {
    const user = await t.signUp('timing');
    const time = async (email: string, username: string) => {
      const started = performance.now();
      await register(email, username);
      return performance.now() - started;
    };
    const takenTimes: number[] = [];
    const freeTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      takenTimes.push(await time(user.email, `tk_${i}_${Date.now()}`));
      freeTimes.push(await time(`free-${i}-${Date.now()}@example.com`, `fr_${i}_${Date.now()}`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2] as number;
    // scrypt dominates both paths; a skipped hash would make the taken path several times faster.
    expect(median(takenTimes)).toBeGreaterThan(median(freeTimes) * 0.4);
  });

  it('still says a username is taken (usernames are public), whether or not the email exists', async () => {
    const user = await t.signUp('uname');
    for (const email of [user.email, `new-${Date.now()}@example.com`]) {
      const res = await register(email, user.username.toUpperCase());
      expect(res.status).toBe(409);
      expectErrorShape(res.body, 'conflict');
      expect(res.body.error.fields).toEqual([{ path: 'username', message: 'This username is taken' }]);
    }
  });
});
