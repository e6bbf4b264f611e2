import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../db/schema/index.js';
import { createTestApp, DRIVERS, type TestApp } from './harness.js';

type User = Awaited<ReturnType<TestApp['signUp']>>;

describe.each(DRIVERS)('playlists on %s', (driver) => {
  let t: TestApp;
  let owner: User;
  let other: User;
  let channelId: string;

  async function video(title: string, privacy = 'public') {
    const res = await t.call('POST', '/api/v1/videos', {
      token: owner.token,
      body: { channelId, title, privacy },
    });
    return res.body.video.id as string;
  }
  async function playlist(user: User, body: Record<string, unknown>) {
    const res = await t.call('POST', '/api/v1/video-playlists', { token: user.token, body });
    expect(res.status).toBe(201);
    return res.body.videoPlaylist.id as string;
  }
  async function add(user: User, playlistId: string, videoId: string) {
    const res = await t.call('POST', `/api/v1/video-playlists/${playlistId}/videos`, {
      token: user.token,
      body: { videoId },
    });
    return res;
  }
  async function videoIdsOf(playlistId: string, token?: string) {
    const res = await t.call('GET', `/api/v1/video-playlists/${playlistId}/videos`, token ? { token } : {});
    return res.body.data.map((e: { video: { id: string } }) => e.video.id) as string[];
  }
  async function titles(playlistId: string, token?: string) {
    const res = await t.call('GET', `/api/v1/video-playlists/${playlistId}/videos`, token ? { token } : {});
    return res.body.data.map(
      (e: { position: number; video: { title: string } }) => `${e.position}:${e.video.title}`,
    );
  }

  beforeAll(async () => {
    t = await createTestApp(driver);
    owner = await t.signUp('owner');
    other = await t.signUp('other');
    const channel = await t.call('POST', '/api/v1/channels', {
      token: owner.token,
      body: { handle: `lists_${owner.userId.slice(0, 6)}`, displayName: 'Lists' },
    });
    channelId = channel.body.id;
  });
  afterAll(() => t.close());

  it("creates a playlist in PeerTube's shape, adds videos, and lists it publicly", async () => {
    const created = await t.call('POST', '/api/v1/video-playlists', {
      token: owner.token,
      body: { displayName: 'Favourites', description: 'Best of', privacy: 1 },
    });
    expect(created.status).toBe(201);
    const id = created.body.videoPlaylist.id;
    expect(created.body.videoPlaylist).toMatchObject({
      uuid: id,
      displayName: 'Favourites',
      description: 'Best of',
      privacy: { id: 1, label: 'Public' },
      privacyName: 'public',
      type: { id: 1, label: 'Regular' },
      videosLength: 0,
      url: `/p/${id}`,
      ownerAccount: { id: owner.userId, name: owner.username },
    });
    const added = await add(owner, id, await video('One'));
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ videoPlaylistElement: { id: expect.any(Number) } });
    await add(owner, id, await video('Two'));
    const elements = await t.call('GET', `/api/v1/video-playlists/${id}/videos`);
    expect(elements.body).toMatchObject({ total: 2, nextCursor: null });
    expect(elements.body.data[0]).toMatchObject({ position: 1, startTimestamp: null, stopTimestamp: null });
    expect(elements.body.data[0].video).toMatchObject({ title: 'One', views: 0, tags: [] });
    expect((await t.call('GET', `/api/v1/video-playlists/${id}`)).body.videosLength).toBe(2);
    const list = await t.call('GET', '/api/v1/video-playlists?count=100');
    expect(list.body.data.map((p: { id: string }) => p.id)).toContain(id);
    const account = await t.call('GET', `/api/v1/accounts/${owner.username}/video-playlists`);
    expect(account.body.data.map((p: { id: string }) => p.id)).toContain(id);
  });

  it("answers 404 for a private playlist to others, and keeps it out of every list but its owner's", async () => {
    const id = await playlist(owner, { displayName: 'Secret', privacy: 'private' });
    for (const token of [undefined, other.token]) {
      const as = token ? { token } : {};
      expect((await t.call('GET', `/api/v1/video-playlists/${id}`, as)).status).toBe(404);
      expect((await t.call('GET', `/api/v1/video-playlists/${id}/videos`, as)).status).toBe(404);
    }
    expect(
      (
        await t.call('PUT', `/api/v1/video-playlists/${id}`, {
          token: other.token,
          body: { displayName: 'x' },
        })
      ).status,
    ).toBe(404);
    expect((await t.call('DELETE', `/api/v1/video-playlists/${id}`, { token: other.token })).status).toBe(
      404,
    );
    expect((await add(other, id, await video('Mine'))).status).toBe(404);
    const publicList = await t.call('GET', '/api/v1/video-playlists?count=100');
    expect(publicList.body.data.map((p: { id: string }) => p.id)).not.toContain(id);
    const theirs = await t.call('GET', `/api/v1/accounts/${owner.username}/video-playlists`, {
      token: other.token,
    });
    expect(theirs.body.data.map((p: { id: string }) => p.id)).not.toContain(id);
    const mine = await t.call('GET', `/api/v1/accounts/${owner.username}/video-playlists`, {
      token: owner.token,
    });
    expect(mine.body.data.map((p: { id: string }) => p.id)).toContain(id);
    expect((await t.call('GET', `/api/v1/video-playlists/${id}`, { token: owner.token })).status).toBe(200);
  });

  it('lets anyone with the link see an unlisted playlist, and refuses changes by others with 403', async () => {
    const id = await playlist(owner, { displayName: 'By link', privacy: 2 });
    expect((await t.call('GET', `/api/v1/video-playlists/${id}`)).body.privacy).toEqual({
      id: 2,
      label: 'Unlisted',
    });
    const publicList = await t.call('GET', '/api/v1/video-playlists?count=100');
    expect(publicList.body.data.map((p: { id: string }) => p.id)).not.toContain(id);
    expect(
      (
        await t.call('PUT', `/api/v1/video-playlists/${id}`, {
          token: other.token,
          body: { displayName: 'x' },
        })
      ).status,
    ).toBe(403);
    expect((await add(other, id, await video('Theirs'))).status).toBe(403);
    expect((await t.call('DELETE', `/api/v1/video-playlists/${id}`)).status).toBe(401);
    const renamed = await t.call('PUT', `/api/v1/video-playlists/${id}`, {
      token: owner.token,
      body: { displayName: 'Renamed', privacy: 'public' },
    });
    expect(renamed.body).toMatchObject({ displayName: 'Renamed', privacyName: 'public' });
    expect((await t.call('DELETE', `/api/v1/video-playlists/${id}`, { token: owner.token })).status).toBe(
      204,
    );
    expect((await t.call('GET', `/api/v1/video-playlists/${id}`, { token: owner.token })).status).toBe(404);
  });

  it('never shows others a video that became private, nor lets them add one', async () => {
    const id = await playlist(owner, { displayName: 'Mixed', privacy: 'public' });
    const soon = await video('Soon private');
    await add(owner, id, await video('Stays public'));
    await add(owner, id, soon);
    await t.call('PATCH', `/api/v1/videos/${soon}`, { token: owner.token, body: { privacy: 'private' } });
    expect(await titles(id)).toEqual(['1:Stays public']);
    expect(await titles(id, other.token)).toEqual(['1:Stays public']);
    expect(
      (await t.call('GET', `/api/v1/video-playlists/${id}`, { token: other.token })).body.videosLength,
    ).toBe(1);
    expect(await titles(id, owner.token)).toEqual(['1:Stays public', '2:Soon private']);
    const theirs = await playlist(other, { displayName: 'Theirs', privacy: 'public' });
    const refused = await add(other, theirs, soon);
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toEqual([{ path: 'videoId', message: 'No video has this id' }]);
  });

  it("reorders like PeerTube, removes with positions closing up, and edits an element's timestamps", async () => {
    const id = await playlist(owner, { displayName: 'Order', privacy: 'public' });
    const elementIds: number[] = [];
    for (const title of ['A', 'B', 'C', 'D'])
      elementIds.push((await add(owner, id, await video(title))).body.videoPlaylistElement.id);
    const move = (body: Record<string, number>, token = owner.token) =>
      t.call('POST', `/api/v1/video-playlists/${id}/videos/reorder`, { token, body });
    expect((await move({ startPosition: 1, insertAfterPosition: 3 })).status).toBe(204);
    expect(await titles(id)).toEqual(['1:B', '2:C', '3:A', '4:D']);
    await move({ startPosition: 3, insertAfterPosition: 0, reorderLength: 2 });
    expect(await titles(id)).toEqual(['1:A', '2:D', '3:B', '4:C']);
    expect((await move({ startPosition: 4, insertAfterPosition: 0, reorderLength: 2 })).status).toBe(400);
    expect((await move({ startPosition: 1, insertAfterPosition: 9 })).status).toBe(400);
    expect((await move({ startPosition: 1, insertAfterPosition: 2 }, other.token)).status).toBe(403);

    const removeB = await t.call('DELETE', `/api/v1/video-playlists/${id}/videos/${elementIds[1]}`, {
      token: owner.token,
    });
    expect(removeB.status).toBe(204);
    expect(await titles(id)).toEqual(['1:A', '2:D', '3:C']);
    expect(
      (
        await t.call('DELETE', `/api/v1/video-playlists/${id}/videos/${elementIds[1]}`, {
          token: owner.token,
        })
      ).status,
    ).toBe(404);

    const edit = await t.call('PUT', `/api/v1/video-playlists/${id}/videos/${elementIds[0]}`, {
      token: owner.token,
      body: { startTimestamp: 5, stopTimestamp: 30 },
    });
    expect(edit.status).toBe(204);
    const [first] = (await t.call('GET', `/api/v1/video-playlists/${id}/videos`)).body.data;
    expect(first).toMatchObject({ id: elementIds[0], startTimestamp: 5, stopTimestamp: 30 });
  });

  it('gives each user one private watch-later playlist, first in their list, that cannot be deleted', async () => {
    const user = await t.signUp('later');
    const [a, b] = await Promise.all([
      t.call('GET', '/api/v1/users/me/video-playlists', { token: user.token }),
      t.call('GET', '/api/v1/users/me/video-playlists', { token: user.token }),
    ]);
    expect(a.body.data[0].id).toBe(b.body.data[0].id);
    await playlist(user, { displayName: 'Regular one' });
    const mine = await t.call('GET', '/api/v1/users/me/video-playlists', { token: user.token });
    expect(mine.body.total).toBe(2);
    const later = mine.body.data[0];
    expect(later).toMatchObject({
      type: { id: 2, label: 'Watch later' },
      privacy: { id: 3, label: 'Private' },
    });
    expect((await add(user, later.id, await video('Later'))).status).toBe(200);
    expect(await titles(later.id, user.token)).toEqual(['1:Later']);
    expect((await t.call('GET', `/api/v1/video-playlists/${later.id}`, { token: other.token })).status).toBe(
      404,
    );
    expect(
      (await t.call('DELETE', `/api/v1/video-playlists/${later.id}`, { token: user.token })).status,
    ).toBe(400);
    const widen = await t.call('PUT', `/api/v1/video-playlists/${later.id}`, {
      token: user.token,
      body: { privacy: 1 },
    });
    expect(widen.status).toBe(400);
    expect((await t.call('GET', '/api/v1/users/me/video-playlists')).status).toBe(401);

    const elsewhere = await video('Not saved');
    const exist = await t.call(
      'GET',
      `/api/v1/users/me/video-playlists/videos-exist?videoIds=${(await videoIdsOf(later.id, user.token))[0]}&videoIds=${elsewhere}`,
      { token: user.token },
    );
    expect(exist.status).toBe(200);
    expect(Object.values(exist.body)).toEqual([
      [
        {
          playlistElementId: expect.any(Number),
          playlistId: later.id,
          startTimestamp: null,
          stopTimestamp: null,
        },
      ],
      [],
    ]);
    const theirs = await t.call(
      'GET',
      `/api/v1/users/me/video-playlists/videos-exist?videoIds=${elsewhere}`,
      {
        token: other.token,
      },
    );
    expect(theirs.body).toEqual({ [elsewhere]: [] });
    expect(
      (
        await t.call('GET', '/api/v1/users/me/video-playlists/videos-exist?videoIds=nope', {
          token: user.token,
        })
      ).status,
    ).toBe(400);
  });

  it('refuses bad input and records playlist.* events in the outbox', async () => {
    for (const body of [
      {},
      { displayName: '   ' },
      { displayName: 'x', privacy: 4 },
      { displayName: 'x', privacy: 'password' },
    ]) {
      expect((await t.call('POST', '/api/v1/video-playlists', { token: owner.token, body })).status).toBe(
        400,
      );
    }
    expect((await t.call('POST', '/api/v1/video-playlists', { body: { displayName: 'x' } })).status).toBe(
      401,
    );
    expect((await t.call('GET', '/api/v1/video-playlists/not-a-uuid')).status).toBe(400);
    const id = await playlist(owner, { displayName: 'Evented', privacy: 'unlisted' });
    const videoId = await video('Evented video');
    const elementId = (await add(owner, id, videoId)).body.videoPlaylistElement.id;
    await t.call('DELETE', `/api/v1/video-playlists/${id}/videos/${elementId}`, { token: owner.token });
    await t.call('PUT', `/api/v1/video-playlists/${id}`, {
      token: owner.token,
      body: { description: 'now' },
    });
    await t.call('DELETE', `/api/v1/video-playlists/${id}`, { token: owner.token });
    const types = [
      'playlist.created',
      'playlist.video_added',
      'playlist.video_removed',
      'playlist.updated',
      'playlist.deleted',
    ];
    const events = (
      await t.database.db
        .select()
        .from(outboxEvents)
        .where(inArray(outboxEvents.type, types))
        .orderBy(outboxEvents.seq)
    ).filter((e) => (e.payload as { playlistId: string }).playlistId === id);
    expect(events.map((e) => e.type)).toEqual(types);
    expect(events[1]?.payload).toEqual({
      playlistId: id,
      ownerId: owner.userId,
      privacy: 'unlisted',
      elementId,
      videoId,
    });
    expect(events[3]?.payload).toMatchObject({ changed: ['description'] });
  });
});
