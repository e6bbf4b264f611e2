import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../db/schema/index.js';
import type { ServiceConfig } from '../src/services/context.js';
import { createTestApp, DRIVERS, type TEST_CONFIG, type TestApp } from './harness.js';
import { type TestUser, testChannel, testVideo } from './social-fixtures.js';

describe.each(DRIVERS)('subscriptions on %s', (driver) => {
  let t: TestApp;
  let owner: TestUser;
  let fan: TestUser;

  beforeAll(async () => {
    // `publicUrl` is optional in ServiceConfig, so the harness's defaults leave it out.
    const publicUrl: Partial<ServiceConfig> = { publicUrl: 'https://vidra.example' };
    t = await createTestApp(driver, publicUrl as Partial<typeof TEST_CONFIG>);
    owner = await t.signUp('owner');
    fan = await t.signUp('fan');
  });
  afterAll(() => t.close());

  const subscribe = (user: TestUser, uri: string) =>
    t.call('POST', '/api/v1/users/me/subscriptions', { token: user.token, body: { uri } });
  const followers = async (handle: string) =>
    (await t.call('GET', `/api/v1/channels/${handle}`)).body.followersCount as number;
  const followEvents = async (channelId: string) =>
    (await t.database.db.select().from(outboxEvents).orderBy(outboxEvents.seq))
      .filter((e) => (e.payload as { channelId?: string }).channelId === channelId)
      .map((e) => e.type);

  it('subscribes once by handle or handle@this-host, and counts followers', async () => {
    const channel = await testChannel(t, owner);
    expect(await followers(channel.handle)).toBe(0);
    expect((await subscribe(fan, channel.handle)).status).toBe(204);
    expect((await subscribe(fan, `${channel.handle.toUpperCase()}@vidra.example`)).status).toBe(204);
    expect((await subscribe(owner, channel.handle)).status).toBe(204);
    expect(await followers(channel.handle)).toBe(2);
    expect(await followEvents(channel.id)).toEqual(['follow.created', 'follow.created']);

    const list = await t.call('GET', '/api/v1/users/me/subscriptions', { token: fan.token });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, nextCursor: null });
    expect(list.body.data[0]).toMatchObject({ id: channel.id, handle: channel.handle, followersCount: 2 });

    const exist = await t.call(
      'GET',
      `/api/v1/users/me/subscriptions/exist?uris=${channel.handle},nobody_here,${channel.handle}@other.example`,
      { token: fan.token },
    );
    expect(exist.body).toEqual({
      [channel.handle]: true,
      nobody_here: false,
      [`${channel.handle}@other.example`]: false,
    });
  });

  it('unsubscribes, and says 404 when there was nothing to undo', async () => {
    const channel = await testChannel(t, owner);
    await subscribe(fan, channel.handle);
    const del = (uri: string) =>
      t.call('DELETE', `/api/v1/users/me/subscriptions/${encodeURIComponent(uri)}`, { token: fan.token });
    expect((await del(channel.handle)).status).toBe(204);
    expect((await del(channel.handle)).status).toBe(404);
    expect(await followers(channel.handle)).toBe(0);
    expect(await followEvents(channel.id)).toEqual(['follow.created', 'follow.removed']);
  });

  it('refuses unknown channels (404), remote ones while federation is off (400), and anonymous callers (401)', async () => {
    expect((await subscribe(fan, 'no_such_channel')).status).toBe(404);
    const remote = await subscribe(fan, 'lqdn_channel@video.lqdn.fr');
    expect(remote.status).toBe(400);
    expect(remote.body.error.message).toBe(
      'Federation is off on this instance: remote channels cannot be followed',
    );
    expect((await subscribe(fan, '')).status).toBe(400);
    const anonymous = await t.call('POST', '/api/v1/users/me/subscriptions', { body: { uri: 'x' } });
    expect(anonymous.status).toBe(401);
    expect((await t.call('GET', '/api/v1/users/me/subscriptions/videos')).status).toBe(401);
  });

  it('pages the subscription list with start/count and with the cursor', async () => {
    const reader = await t.signUp('reader');
    const channels = [];
    for (let i = 0; i < 3; i++) channels.push(await testChannel(t, owner));
    for (const c of channels) await subscribe(reader, c.handle);
    const first = await t.call('GET', '/api/v1/users/me/subscriptions?count=2', { token: reader.token });
    expect(first.body.total).toBe(3);
    expect(first.body.data.map((c: { id: string }) => c.id)).toEqual([channels[2]?.id, channels[1]?.id]);
    const next = await t.call(
      'GET',
      `/api/v1/users/me/subscriptions?count=2&cursor=${first.body.nextCursor}`,
      {
        token: reader.token,
      },
    );
    expect(next.body).toMatchObject({ total: 3, nextCursor: null });
    expect(next.body.data.map((c: { id: string }) => c.id)).toEqual([channels[0]?.id]);
    const offset = await t.call('GET', '/api/v1/users/me/subscriptions?start=1&count=1', {
      token: reader.token,
    });
    expect(offset.body.data.map((c: { id: string }) => c.id)).toEqual([channels[1]?.id]);
  });

  it('feeds new playable videos of followed channels only, never what the caller may not see', async () => {
    const reader = await t.signUp('reader');
    const followed = await testChannel(t, owner);
    const other = await testChannel(t, owner);
    await subscribe(reader, followed.handle);
    const ids: Record<string, string> = {};
    for (const privacy of ['public', 'internal', 'unlisted', 'private', 'password'] as const) {
      ids[privacy] = await testVideo(t, owner, followed.id, { privacy, state: 'ready' });
    }
    const uploading = await testVideo(t, owner, followed.id, { state: 'queued' });
    const elsewhere = await testVideo(t, owner, other.id, { state: 'ready' });
    const live = await testVideo(t, owner, followed.id, { state: 'live' });

    const feed = await t.call('GET', '/api/v1/users/me/subscriptions/videos', { token: reader.token });
    expect(feed.status).toBe(200);
    const got = feed.body.data.map((v: { id: string }) => v.id);
    expect(got).toEqual([live, ids.internal, ids.public]);
    expect(got).not.toContain(uploading);
    expect(got).not.toContain(elsewhere);
    expect(feed.body).toMatchObject({ total: 3, nextCursor: null });
    // Items are `/api/v1/videos` items.
    const item = (await t.call('GET', `/api/v1/videos/${ids.public}`)).body;
    expect(feed.body.data[2]).toEqual(item);

    const paged = await t.call('GET', '/api/v1/users/me/subscriptions/videos?count=2', {
      token: reader.token,
    });
    expect(paged.body.data).toHaveLength(2);
    const rest = await t.call(
      'GET',
      `/api/v1/users/me/subscriptions/videos?cursor=${paged.body.nextCursor}`,
      {
        token: reader.token,
      },
    );
    expect(rest.body.data.map((v: { id: string }) => v.id)).toEqual([ids.public]);

    // A stranger following nothing gets an empty feed.
    const stranger = await t.signUp('stranger');
    const empty = await t.call('GET', '/api/v1/users/me/subscriptions/videos', { token: stranger.token });
    expect(empty.body).toEqual({ total: 0, data: [], nextCursor: null });
  });
});
