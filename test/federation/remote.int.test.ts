import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  federationDeliveries,
  federationFollowers,
  renditions,
  videoComments,
  videoRatingCounts,
  videos,
} from '../../db/schema/index.js';
import { remoteVideoMedia } from '../../origin/src/services/federation/remote-media.js';
import { recordEvent } from '../../origin/src/services/outbox/record.js';
import { proxiedMediaPath } from '../../protocol/federation/media-proxy.js';
import { startFederatedOrigin } from './support.js';

type Origin = Awaited<ReturnType<typeof startFederatedOrigin>>;

/**
 * Two origins on loopback, each with its own database, federating (issue 14, items 3 and 7):
 * A's user follows B's channel by `name@host` and by URL, B's videos reach A (and leave it), A's
 * comments and likes reach B, and an Undo of the follow stops B sending.
 */
describe('two origins federating remote content', () => {
  let a: Origin;
  let b: Origin;
  let fan: Awaited<ReturnType<Origin['signUp']>>;
  let creator: Awaited<ReturnType<Origin['signUp']>>;
  let channelId = '';
  const handle = `harbour_${randomUUID().slice(0, 6)}`;
  let hostB = '';

  const poll = <T>(fn: () => Promise<T>, timeout = 10_000) => expect.poll(fn, { timeout, interval: 100 });

  /** A ready video of B's channel with a one-rung ladder, announced as the services would. */
  async function publishOnB(title: string) {
    const db = b.database.db;
    const [video] = await db
      .insert(videos)
      .values({
        channelId,
        title,
        description: 'Boats leaving early.',
        state: 'ready',
        durationSeconds: 4,
        assets: { version: 1, master: 'hls/master.m3u8', thumbnail: 'hls/thumbnail.jpg' },
      })
      .returning();
    const id = video?.id as string;
    await db
      .insert(renditions)
      .values({ videoId: id, width: 320, height: 180, bitrate: 300_000, playlistKey: 'hls/180p/index.m3u8' });
    await db.transaction((tx) =>
      recordEvent(tx, {
        type: 'video.published',
        payload: {
          videoId: id,
          channelId,
          privacy: 'public',
          stage: 'final',
          republished: false,
          assetVersion: 1,
        },
      }),
    );
    return id;
  }

  const mirrorOnA = async (bVideoId: string) =>
    (
      await a.database.db
        .select()
        .from(videos)
        .where(eq(videos.remoteUrl, `${b.publicUrl}/videos/watch/${bVideoId}`))
    )[0];

  beforeAll(async () => {
    [a, b] = await Promise.all([startFederatedOrigin(), startFederatedOrigin()]);
    hostB = new URL(b.publicUrl).host;
    [fan, creator] = await Promise.all([a.signUp('fan'), b.signUp('creator')]);
    const channel = await b.call('POST', '/api/v1/channels', {
      token: creator.token,
      body: { handle, displayName: 'Harbour' },
    });
    channelId = channel.body.id;
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('follows a remote channel by @name@host: pending, then accepted when B answers', async () => {
    const res = await a.call('POST', '/api/v1/users/me/subscriptions', {
      token: fan.token,
      body: { uri: `@${handle}@${hostB}` },
    });
    expect(res.status).toBe(204);
    const list = await a.call('GET', '/api/v1/users/me/subscriptions/remote', { token: fan.token });
    expect(list.body.data).toMatchObject([
      { handle: `${handle}@${hostB}`, actorId: `${b.publicUrl}/video-channels/${handle}` },
    ]);
    expect(['pending', 'accepted']).toContain(list.body.data[0].state);
    await poll(
      async () =>
        (await a.call('GET', '/api/v1/users/me/subscriptions/remote', { token: fan.token })).body.data[0]
          .state,
    ).toBe('accepted');
    // B knows A's user as a follower of the channel.
    const followers = await b.database.db.select().from(federationFollowers);
    expect(followers.map((f) => f.followerId)).toContain(`${a.publicUrl}/accounts/${fan.username}`);
  });

  it("follows by the channel's URL too, and lists it the same way", async () => {
    const other = await a.signUp('byurl');
    const url = `${b.publicUrl}/video-channels/${handle}`;
    const res = await a.call('POST', '/api/v1/users/me/subscriptions', {
      token: other.token,
      body: { uri: url },
    });
    expect(res.status).toBe(204);
    await poll(
      async () =>
        (await a.call('GET', '/api/v1/users/me/subscriptions/remote', { token: other.token })).body.data,
    ).toMatchObject([{ handle: `${handle}@${hostB}`, actorId: url, state: 'accepted' }]);
    // Unfollowed by URL as well: B forgets this follower, and only this one.
    const gone = await a.call('DELETE', `/api/v1/users/me/subscriptions/${encodeURIComponent(url)}`, {
      token: other.token,
    });
    expect(gone.status).toBe(204);
    await poll(async () =>
      (await b.database.db.select().from(federationFollowers)).map((f) => f.followerId).sort(),
    ).toEqual([`${a.publicUrl}/accounts/${fan.username}`]);
  });

  it('refuses a uri that names no channel, saying so', async () => {
    const res = await a.call('POST', '/api/v1/users/me/subscriptions', {
      token: fan.token,
      body: { uri: `nobody_here@${hostB}` },
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  let bVideo = '';
  it("stores B's new video on A, playable from B's HLS, and lists it in the fan's feed", async () => {
    bVideo = await publishOnB('Harbour at dawn');
    await poll(async () => (await mirrorOnA(bVideo))?.title).toBe('Harbour at dawn');
    const mirror = await mirrorOnA(bVideo);
    expect(mirror?.remoteMedia).toEqual({
      hls: `${b.publicUrl}/videos/watch/${bVideo}/media/master.m3u8`,
      thumbnail: `${b.publicUrl}/videos/watch/${bVideo}/media/thumbnail.jpg`,
    });
    const feed = await a.call('GET', '/api/v1/users/me/subscriptions/videos', { token: fan.token });
    expect(feed.body.data.map((v: { title: string }) => v.title)).toEqual(['Harbour at dawn']);
    const media = await a.call('GET', `/api/v1/videos/${mirror?.id}/remote`);
    expect(media.body).toMatchObject({ hls: `${b.publicUrl}/videos/watch/${bVideo}/media/master.m3u8` });
    // With the media proxy on (FEDERATION_MEDIA_PROXY), A hands viewers its edge's signed proxy
    // paths instead: B is a known peer, so no viewer of A contacts B.
    const secret = 'media-proxy-secret-0123456789-abcdef';
    const federation = a.services.config.federation;
    if (!federation) throw new Error('federation is on in this suite');
    const proxied = await remoteVideoMedia(
      {
        ...a.services,
        config: { ...a.services.config, federation: { ...federation, mediaProxySecret: secret } },
      },
      mirror?.id as string,
    );
    expect(proxied).toEqual({
      url: expect.any(String),
      hls: await proxiedMediaPath(secret, `${b.publicUrl}/videos/watch/${bVideo}/media/master.m3u8`),
      thumbnail: await proxiedMediaPath(secret, `${b.publicUrl}/videos/watch/${bVideo}/media/thumbnail.jpg`),
    });
  });

  it("sends A's comment and like to B, which stores and counts them", async () => {
    const mirror = await mirrorOnA(bVideo);
    const comment = await a.call('POST', `/api/v1/videos/${mirror?.id}/comment-threads`, {
      token: fan.token,
      body: { text: 'Lovely **light**.' },
    });
    expect(comment.status).toBe(201);
    const rate = await a.call('PUT', `/api/v1/videos/${mirror?.id}/rate`, {
      token: fan.token,
      body: { rating: 'like' },
    });
    expect(rate.status).toBe(204);
    await poll(
      async () =>
        (await b.database.db.select().from(videoComments).where(eq(videoComments.videoId, bVideo)))[0]?.html,
    ).toBe('<p>Lovely <strong>light</strong>.</p>');
    const threads = await b.call('GET', `/api/v1/videos/${bVideo}/comment-threads`);
    expect(threads.body.data[0]).toMatchObject({ text: 'Lovely light.' });
    await poll(
      async () =>
        (await b.database.db.select().from(videoRatingCounts).where(eq(videoRatingCounts.videoId, bVideo)))[0]
          ?.likes,
    ).toBe(1);
    // Taking the like back is an Undo(Like): B's count goes back to 0.
    await a.call('PUT', `/api/v1/videos/${mirror?.id}/rate`, { token: fan.token, body: { rating: 'none' } });
    await poll(
      async () =>
        (await b.database.db.select().from(videoRatingCounts).where(eq(videoRatingCounts.videoId, bVideo)))[0]
          ?.likes,
    ).toBe(0);
  });

  it('removes the video from A when B makes it private', async () => {
    await b.database.db.update(videos).set({ privacy: 'private' }).where(eq(videos.id, bVideo));
    await b.database.db.transaction((tx) =>
      recordEvent(tx, {
        type: 'video.privacy_changed',
        payload: { videoId: bVideo, channelId, from: 'public', to: 'private' },
      }),
    );
    await poll(async () => (await mirrorOnA(bVideo)) === undefined).toBe(true);
  });

  it('stops deliveries once the fan unfollows (Undo of the Follow)', async () => {
    const res = await a.call(
      'DELETE',
      `/api/v1/users/me/subscriptions/${encodeURIComponent(`${handle}@${hostB}`)}`,
      { token: fan.token },
    );
    expect(res.status).toBe(204);
    await poll(async () => (await b.database.db.select().from(federationFollowers)).length).toBe(0);
    const later = await publishOnB('Harbour at noon');
    // Published with nobody following: B queues nothing for A's inbox.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const queued = await b.database.db
      .select()
      .from(federationDeliveries)
      .where(and(eq(federationDeliveries.host, new URL(a.publicUrl).host)));
    expect(queued.filter((d) => JSON.stringify(d.activity).includes(later))).toEqual([]);
    expect(await mirrorOnA(later)).toBeUndefined();
  });
});
