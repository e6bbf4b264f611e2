import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents, videoRatings } from '../../db/schema/index.js';
import { createTestApp, DRIVERS, type TestApp } from './harness.js';
import { type TestUser, testChannel, testVideo } from './social-fixtures.js';

describe.each(DRIVERS)('video reactions on %s', (driver) => {
  let t: TestApp;
  let owner: TestUser;
  let fan: TestUser;
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp(driver);
    owner = await t.signUp('owner');
    fan = await t.signUp('fan');
    channelId = (await testChannel(t, owner)).id;
  });
  afterAll(() => t.close());

  const rate = (user: TestUser, id: string, rating: string) =>
    t.call('PUT', `/api/v1/videos/${id}/rate`, { token: user.token, body: { rating } });
  const counts = async (id: string) => {
    const { likes, dislikes } = (await t.call('GET', `/api/v1/videos/${id}`)).body;
    return { likes, dislikes };
  };
  const eventsOf = async (videoId: string) =>
    (await t.database.db.select().from(outboxEvents).orderBy(outboxEvents.seq))
      .filter((e) => (e.payload as { videoId?: string }).videoId === videoId)
      .map((e) => e.type);

  it('counts one like per user however often they like, and answers their rating', async () => {
    const id = await testVideo(t, owner, channelId);
    expect(await counts(id)).toEqual({ likes: 0, dislikes: 0 });
    expect((await rate(fan, id, 'like')).status).toBe(204);
    expect((await rate(fan, id, 'like')).status).toBe(204);
    expect(await counts(id)).toEqual({ likes: 1, dislikes: 0 });
    const mine = await t.call('GET', `/api/v1/users/me/videos/${id}/rating`, { token: fan.token });
    expect(mine.body).toEqual({ videoId: id, rating: 'like' });
    const theirs = await t.call('GET', `/api/v1/users/me/videos/${id}/rating`, { token: owner.token });
    expect(theirs.body).toEqual({ videoId: id, rating: 'none' });
    // The list items carry the same counts.
    const list = await t.call('GET', `/api/v1/videos?channelId=${channelId}`);
    expect(list.body.data.find((v: { id: string }) => v.id === id)).toMatchObject({ likes: 1, dislikes: 0 });
    expect(await eventsOf(id)).toEqual(['like.created']);
  });

  it('moves the count from like to dislike, and back to nothing with none', async () => {
    const id = await testVideo(t, owner, channelId);
    await rate(fan, id, 'like');
    await rate(owner, id, 'like');
    await rate(fan, id, 'dislike');
    expect(await counts(id)).toEqual({ likes: 1, dislikes: 1 });
    await rate(fan, id, 'none');
    await rate(fan, id, 'none');
    expect(await counts(id)).toEqual({ likes: 1, dislikes: 0 });
    expect(await eventsOf(id)).toEqual([
      'like.created',
      'like.created',
      'like.removed',
      'dislike.created',
      'dislike.removed',
    ]);
  });

  it('stays consistent under concurrent rates of many users and of one user', async () => {
    const id = await testVideo(t, owner, channelId);
    const users = await Promise.all(Array.from({ length: 6 }, (_, i) => t.signUp(`rater${i}`)));
    const results = await Promise.all(users.map((u, i) => rate(u, id, i % 3 === 0 ? 'dislike' : 'like')));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(204));
    expect(await counts(id)).toEqual({ likes: 4, dislikes: 2 });
    // One user flipping many times at once ends with exactly one reaction counted.
    const flips = ['like', 'dislike', 'like', 'none', 'dislike', 'like', 'dislike', 'like'];
    await Promise.all(flips.map((r) => rate(fan, id, r)));
    const final = (await t.call('GET', `/api/v1/users/me/videos/${id}/rating`, { token: fan.token })).body
      .rating;
    const expected = { likes: 4 + (final === 'like' ? 1 : 0), dislikes: 2 + (final === 'dislike' ? 1 : 0) };
    expect(await counts(id)).toEqual(expected);
    // The counters agree with the reactions themselves.
    const rows = await t.database.db.select().from(videoRatings).where(eq(videoRatings.videoId, id));
    expect({
      likes: rows.filter((r) => r.rating === 'like').length,
      dislikes: rows.filter((r) => r.rating === 'dislike').length,
    }).toEqual(expected);
  });

  it('refuses to rate a video the caller may not see, anonymous callers, and nonsense', async () => {
    const hidden = await testVideo(t, owner, channelId, { privacy: 'private' });
    expect((await rate(fan, hidden, 'like')).status).toBe(404);
    expect(
      (await t.call('GET', `/api/v1/users/me/videos/${hidden}/rating`, { token: fan.token })).status,
    ).toBe(404);
    expect((await rate(owner, hidden, 'like')).status).toBe(204);
    const locked = await testVideo(t, owner, channelId, { privacy: 'password' });
    const refused = await rate(fan, locked, 'like');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('password_required');
    const withPassword = await t.call('PUT', `/api/v1/videos/${locked}/rate`, {
      token: fan.token,
      headers: { 'x-video-password': 'open sesame' },
      body: { rating: 'like' },
    });
    expect(withPassword.status).toBe(204);
    const open = await testVideo(t, owner, channelId);
    expect((await t.call('PUT', `/api/v1/videos/${open}/rate`, { body: { rating: 'like' } })).status).toBe(
      401,
    );
    expect((await rate(fan, open, 'love')).status).toBe(400);
    expect((await rate(fan, '00000000-0000-4000-8000-000000000000', 'like')).status).toBe(404);
    const [row] = await t.database.db
      .select()
      .from(outboxEvents)
      .where(eq(outboxEvents.type, 'like.created'));
    expect(row).toBeDefined();
  });
});
