import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Driver } from '../../origin/test/harness.js';

/**
 * Accounts and channels share one namespace (issue 14, PeerTube's rule): WebFinger's
 * `acct:name@host` must name one actor, so neither side may take a name the other holds,
 * whatever the case, and a freed name can be taken again. On both drivers: the rule is a trigger.
 */
describe.each<Driver>(['postgres', 'pglite'])('one namespace for accounts and channels (%s)', (driver) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    t = await createTestApp(driver);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const register = (username: string) =>
    t.call('POST', '/api/v1/auth/register', {
      body: { email: `${randomUUID()}@example.com`, username, password: 'a long enough password' },
    });

  it('refuses a channel named like another account, and an account named like a channel, in any case', async () => {
    const owner = await t.signUp('owner');
    const taken = await t.call('POST', '/api/v1/channels', {
      token: owner.token,
      body: { handle: owner.username.toUpperCase(), displayName: 'Mine' },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.fields).toEqual([{ path: 'handle', message: 'This handle is taken' }]);

    const handle = `studio_${randomUUID().slice(0, 6)}`;
    expect(
      (await t.call('POST', '/api/v1/channels', { token: owner.token, body: { handle, displayName: 'S' } }))
        .status,
    ).toBe(201);
    const clash = await register(handle.toUpperCase());
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('conflict');
  });

  it('keeps the instance actor name for the instance', async () => {
    const owner = await t.signUp('owner');
    const res = await t.call('POST', '/api/v1/channels', {
      token: owner.token,
      body: { handle: 'vidra-instance', displayName: 'Not the instance' },
    });
    expect(res.status).toBe(409);
  });

  it('frees a name when its channel is deleted', async () => {
    const owner = await t.signUp('owner');
    const handle = `gone_${randomUUID().slice(0, 6)}`;
    const channel = await t.call('POST', '/api/v1/channels', {
      token: owner.token,
      body: { handle, displayName: 'G' },
    });
    const { channels } = await import('../../db/schema/index.js');
    const { eq } = await import('drizzle-orm');
    await t.database.db.delete(channels).where(eq(channels.id, channel.body.id));
    expect((await register(handle)).status).toBe(202);
  });
});
