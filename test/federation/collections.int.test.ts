import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelFollows, federationFollowers, videos } from '../../db/schema/index.js';
import { channelKey, userIdentifier } from '../../origin/src/services/federation/actors.js';
import { videoActivity, videoObjectOf } from '../../origin/src/services/federation/video-activities.js';
import { startFederatedOrigin } from './support.js';

let origin: Awaited<ReturnType<typeof startFederatedOrigin>>;
let owner: Awaited<ReturnType<typeof origin.signUp>>;
let fan: Awaited<ReturnType<typeof origin.signUp>>;
let handle: string;
let channelId: string;
let channelUrl: string;
const AP = { accept: 'application/activity+json' };
const CONTEXT = 'https://www.w3.org/ns/activitystreams';
const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 12, minute));

beforeAll(async () => {
  origin = await startFederatedOrigin();
  owner = await origin.signUp('col');
  fan = await origin.signUp('fan');
  handle = `shelf_${randomUUID().slice(0, 6)}`;
  const created = await origin.call('POST', '/api/v1/channels', {
    token: owner.token,
    body: { handle, displayName: 'Shelf' },
  });
  expect(created.status).toBe(201);
  channelId = created.body.id;
  channelUrl = `${origin.publicUrl}/video-channels/${handle}`;
  const db = origin.database.db;
  // 11 remote followers (minutes 1..11), one of them gone, and one local subscriber (minute 30).
  await db.insert(federationFollowers).values(
    Array.from({ length: 11 }, (_, i) => ({
      localActor: channelKey(channelId),
      followerId: `https://peer.example/users/f${String(i + 1).padStart(2, '0')}`,
      inbox: `https://peer.example/users/f${i + 1}/inbox`,
      createdAt: at(i + 1),
      goneAt: i === 4 ? new Date() : null,
    })),
  );
  await db.insert(channelFollows).values({ followerId: fan.userId, channelId, createdAt: at(30) });
}, 60_000);

afterAll(async () => {
  await origin?.stop();
});

const get = async (path: string) => {
  const res = await fetch(`${origin.publicUrl}${path}`, { headers: AP });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
};

describe('actor collections', () => {
  it("list a channel's followers, local and remote, paged, without the gone ones", async () => {
    const id = `${channelUrl}/followers`;
    const root = await get(`/video-channels/${handle}/followers`);
    expect(root.type).toContain('application/activity+json');
    expect(root.body).toEqual({
      '@context': CONTEXT,
      id,
      type: 'OrderedCollection',
      totalItems: 11,
      first: `${id}?page=1`,
    });
    const remote = (n: number) => `https://peer.example/users/f${String(n).padStart(2, '0')}`;
    expect((await get(`/video-channels/${handle}/followers?page=1`)).body).toEqual({
      '@context': CONTEXT,
      id: `${id}?page=1`,
      type: 'OrderedCollectionPage',
      partOf: id,
      totalItems: 11,
      next: `${id}?page=2`,
      orderedItems: [
        `${origin.publicUrl}/accounts/${fan.username}`,
        ...[11, 10, 9, 8, 7, 6, 4, 3, 2].map(remote),
      ],
    });
    expect((await get(`/video-channels/${handle}/followers?page=2`)).body).toEqual({
      '@context': CONTEXT,
      id: `${id}?page=2`,
      type: 'OrderedCollectionPage',
      partOf: id,
      totalItems: 11,
      prev: `${id}?page=1`,
      orderedItems: [remote(1)],
    });
  });

  it('list the channels an account follows, and the actor documents link every collection', async () => {
    const id = `${origin.publicUrl}/${userIdentifier(fan.username)}/following`;
    expect((await get(`/accounts/${fan.username}/following?page=1`)).body).toEqual({
      '@context': CONTEXT,
      id: `${id}?page=1`,
      type: 'OrderedCollectionPage',
      partOf: id,
      totalItems: 1,
      orderedItems: [channelUrl],
    });
    const channelFollowing = await get(`/video-channels/${handle}/following`);
    expect(channelFollowing.body).toMatchObject({ type: 'OrderedCollection', totalItems: 0 });
    const group = (await get(`/video-channels/${handle}`)).body;
    expect([group.outbox, group.followers, group.following]).toEqual(
      ['outbox', 'followers', 'following'].map((name) => `${channelUrl}/${name}`),
    );
  });

  it('list the Create of public, ready videos in the outbox, newest first', async () => {
    const db = origin.database.db;
    const [older, newer] = await db
      .insert(videos)
      .values([
        { channelId, title: 'Older', state: 'ready', durationSeconds: 10, createdAt: at(1) },
        { channelId, title: 'Newer', state: 'ready', durationSeconds: 20, createdAt: at(2) },
        { channelId, title: 'Hidden', state: 'ready', privacy: 'private', createdAt: at(3) },
        { channelId, title: 'Unfinished', state: 'created', createdAt: at(4) },
      ])
      .returning();
    const create = async (videoId: string) => {
      const loaded = await videoObjectOf(db, origin.publicUrl, videoId);
      if (!loaded) throw new Error('no video');
      return videoActivity('Create', loaded, 'outbox');
    };
    const id = `${channelUrl}/outbox`;
    const expected = {
      '@context': CONTEXT,
      id: `${id}?page=1`,
      type: 'OrderedCollectionPage',
      partOf: id,
      totalItems: 2,
      orderedItems: [await create(newer?.id as string), await create(older?.id as string)],
    };
    expect((await get(`/video-channels/${handle}/outbox?page=1`)).body).toEqual(expected);
    // The owner's account lists its channels' videos too.
    const account = await get(`/accounts/${owner.username}/outbox?page=1`);
    expect(account.body.orderedItems).toEqual(expected.orderedItems);
    expect(expected.orderedItems[0]).toMatchObject({
      type: 'Create',
      object: { type: 'Video', name: 'Newer' },
    });
  });

  it('refuse a bad page and an unknown actor with the one error shape', async () => {
    const bad = await get(`/video-channels/${handle}/followers?page=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    const missing = await get('/video-channels/nobody_here/outbox');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });
});
