import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DRIVERS, type TestApp } from './harness.js';

describe.each(DRIVERS)('channels on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t.close());

  it('creates a channel, finds it by handle in any case, and lists it under /users/me/channels', async () => {
    const user = await t.signUp('chan');
    const handle = `Cooking_${user.userId.slice(0, 5)}`;
    const created = await t.call('POST', '/api/v1/channels', {
      token: user.token,
      body: { handle, displayName: 'Cooking with Vidra' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      handle,
      displayName: 'Cooking with Vidra',
      ownerId: user.userId,
      description: '',
    });

    const found = await t.call('GET', `/api/v1/channels/${handle.toUpperCase()}`);
    expect(found.status).toBe(200);
    expect(found.body.id).toBe(created.body.id);
    expect(found.body.handle).toBe(handle);

    const mine = await t.call('GET', '/api/v1/users/me/channels', { token: user.token });
    expect(mine.body.items.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
  });

  it('keeps handles unique regardless of case', async () => {
    const a = await t.signUp('ca');
    const b = await t.signUp('cb');
    const handle = `music_${a.userId.slice(0, 5)}`;
    expect(
      (await t.call('POST', '/api/v1/channels', { token: a.token, body: { handle, displayName: 'A' } }))
        .status,
    ).toBe(201);
    const clash = await t.call('POST', '/api/v1/channels', {
      token: b.token,
      body: { handle: handle.toUpperCase(), displayName: 'B' },
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({
      code: 'conflict',
      fields: [{ path: 'handle', message: 'This handle is taken' }],
    });
  });

  it('lets the owner and admins change a channel, nobody else', async () => {
    const owner = await t.signUp('co');
    const other = await t.signUp('cx');
    const admin = await t.signUpAdmin();
    const handle = `news_${owner.userId.slice(0, 5)}`;
    await t.call('POST', '/api/v1/channels', { token: owner.token, body: { handle, displayName: 'News' } });

    const forbidden = await t.call('PATCH', `/api/v1/channels/${handle}`, {
      token: other.token,
      body: { displayName: 'Mine now' },
    });
    expect(forbidden.status).toBe(403);
    expect(
      (await t.call('PATCH', `/api/v1/channels/${handle}`, { body: { displayName: 'Anon' } })).status,
    ).toBe(401);

    const byOwner = await t.call('PATCH', `/api/v1/channels/${handle}`, {
      token: owner.token,
      body: { displayName: 'Daily News', description: 'Every day' },
    });
    expect(byOwner.status).toBe(200);
    expect(byOwner.body).toMatchObject({ displayName: 'Daily News', description: 'Every day' });
    const byAdmin = await t.call('PATCH', `/api/v1/channels/${handle}`, {
      token: admin.token,
      body: { displayName: 'Moderated' },
    });
    expect(byAdmin.body.displayName).toBe('Moderated');
    expect(
      (
        await t.call('PATCH', '/api/v1/channels/missing_channel', {
          token: owner.token,
          body: { displayName: 'x' },
        })
      ).status,
    ).toBe(404);
  });

  it('validates channel input field by field', async () => {
    const user = await t.signUp('cv');
    const res = await t.call('POST', '/api/v1/channels', {
      token: user.token,
      body: { handle: 'has spaces!', displayName: '' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'displayName',
      'handle',
    ]);
    expect(
      (await t.call('POST', '/api/v1/channels', { body: { handle: 'anon_chan', displayName: 'x' } })).status,
    ).toBe(401);
    expect((await t.call('GET', '/api/v1/channels/nobody_has_this')).status).toBe(404);
  });
});
