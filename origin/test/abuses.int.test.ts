import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../db/schema/index.js';
import {
  createOwnedVideo,
  postComment,
  signUpCast,
  type TestUser,
  threadsSeenBy,
} from './comment-fixtures.js';
import { createTestApp, DRIVERS, type TestApp } from './harness.js';

describe.each(DRIVERS)('abuse reports and the admin queue on %s', (driver) => {
  let t: TestApp;
  let owner: TestUser;
  let alice: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp(driver);
    ({ owner, alice, admin } = await signUpCast(t));
  });
  afterAll(() => t.close());

  const report = (user: TestUser | undefined, body: unknown) =>
    t.call('POST', '/api/v1/abuses', { ...(user ? { token: user.token } : {}), body });
  const queue = (user: TestUser, query = '') =>
    t.call('GET', `/api/v1/abuses${query}`, { token: user.token });

  it('takes a report on a video, records abuse.created, and shows it in the admin queue', async () => {
    const videoId = await createOwnedVideo(t, owner);
    const res = await report(alice, {
      reason: 'This is spam',
      predefinedReasons: ['spamOrMisleading'],
      video: { id: videoId },
    });
    expect(res.status).toBe(200);
    const abuseId = res.body.abuse.id;
    expect(Number.isInteger(abuseId)).toBe(true);
    const [event] = (
      await t.database.db.select().from(outboxEvents).where(eq(outboxEvents.type, 'abuse.created'))
    )
      .map((row) => row.payload)
      .filter((p) => (p as { abuseId: number }).abuseId === abuseId);
    expect(event).toEqual({
      abuseId,
      reporterId: alice.userId,
      target: 'video',
      videoId,
      commentId: null,
      accountId: null,
    });
    const listed = await queue(admin);
    expect(listed.status).toBe(200);
    expect(listed.body.data.find((a: { id: number }) => a.id === abuseId)).toMatchObject({
      reason: 'This is spam',
      predefinedReasons: ['spamOrMisleading'],
      state: { id: 1, label: 'Pending' },
      moderationComment: null,
      reporterAccount: { name: alice.username },
      video: { uuid: videoId, name: 'Commented video', deleted: false },
      comment: null,
      flaggedAccount: { name: owner.username },
    });
  });

  it('refuses the queue and its actions to everyone but admins', async () => {
    const videoId = await createOwnedVideo(t, owner);
    const abuseId = (await report(alice, { reason: 'bad video', video: { id: videoId } })).body.abuse.id;
    for (const user of [alice, owner]) {
      const res = await queue(user);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe('Only an admin can see and act on reports');
      expect(
        (await t.call('PUT', `/api/v1/abuses/${abuseId}`, { token: user.token, body: { state: 2 } })).status,
      ).toBe(403);
    }
    expect((await t.call('GET', '/api/v1/abuses')).status).toBe(401);
    expect((await report(undefined, { reason: 'anon', video: { id: videoId } })).status).toBe(401);
  });

  it('needs exactly one target that exists and that the reporter can see', async () => {
    const videoId = await createOwnedVideo(t, owner);
    const hidden = await createOwnedVideo(t, owner, { privacy: 'private' });
    const none = await report(alice, { reason: 'something' });
    expect(none.status).toBe(400);
    expect(
      (await report(alice, { reason: 'two', video: { id: videoId }, account: { id: owner.userId } })).status,
    ).toBe(400);
    expect((await report(alice, { reason: 'x', video: { id: videoId } })).status).toBe(400);
    expect((await report(alice, { reason: 'private', video: { id: hidden } })).status).toBe(404);
    expect((await report(alice, { reason: 'ghost', comment: { id: 999_999 } })).status).toBe(404);
    expect(
      (await report(alice, { reason: 'ghost', account: { id: '00000000-0000-4000-8000-000000000000' } }))
        .status,
    ).toBe(404);
  });

  it('lets an admin accept a comment report and delete the comment, leaving a tombstone', async () => {
    const videoId = await createOwnedVideo(t, owner);
    const comment = (await postComment(t, owner, videoId, 'rude words')).body.comment;
    await postComment(t, alice, videoId, 'a reply', comment.id);
    const abuseId = (await report(alice, { reason: 'rude', comment: { id: comment.id } })).body.abuse.id;
    const queued = (await queue(admin, '?state=1')).body.data.find((a: { id: number }) => a.id === abuseId);
    expect(queued.comment).toMatchObject({
      id: comment.id,
      text: 'rude words',
      deleted: false,
      video: { uuid: videoId },
    });
    expect(queued.flaggedAccount).toMatchObject({ name: owner.username });

    const act = await t.call('PUT', `/api/v1/abuses/${abuseId}`, {
      token: admin.token,
      body: { state: 3, moderationComment: 'Removed', deleteTarget: true },
    });
    expect(act.status).toBe(204);
    const thread = (await threadsSeenBy(t, alice, videoId)).body.data[0];
    expect(thread).toMatchObject({ id: comment.id, isDeleted: true, text: '' });
    const accepted = (await queue(admin, '?state=3')).body.data.find((a: { id: number }) => a.id === abuseId);
    expect(accepted).toMatchObject({ state: { id: 3, label: 'Accepted' }, moderationComment: 'Removed' });
    expect(accepted.comment.deleted).toBe(true);
    expect((await queue(admin, '?state=1')).body.data.map((a: { id: number }) => a.id)).not.toContain(
      abuseId,
    );
  });

  it('lets an admin delete a reported video through the video delete, or reject a report', async () => {
    const videoId = await createOwnedVideo(t, owner);
    const abuseId = (await report(alice, { reason: 'illegal', video: { id: videoId } })).body.abuse.id;
    const act = await t.call('PUT', `/api/v1/abuses/${abuseId}`, {
      token: admin.token,
      body: { state: 3, deleteTarget: true },
    });
    expect(act.status).toBe(204);
    expect((await t.call('GET', `/api/v1/videos/${videoId}`, { token: owner.token })).status).toBe(404);
    const deletedEvents = (
      await t.database.db.select().from(outboxEvents).where(eq(outboxEvents.type, 'video.deleted'))
    )
      .map((row) => row.payload as { videoId: string })
      .filter((p) => p.videoId === videoId);
    expect(deletedEvents).toHaveLength(1);
    // Acting again on a deleted target is not an error.
    expect(
      (await t.call('PUT', `/api/v1/abuses/${abuseId}`, { token: admin.token, body: { deleteTarget: true } }))
        .status,
    ).toBe(204);

    const account = (await report(alice, { reason: 'impersonation', account: { id: owner.userId } })).body
      .abuse.id;
    const cannot = await t.call('PUT', `/api/v1/abuses/${account}`, {
      token: admin.token,
      body: { deleteTarget: true },
    });
    expect(cannot.status).toBe(400);
    expect(
      (await t.call('PUT', `/api/v1/abuses/${account}`, { token: admin.token, body: { state: 2 } })).status,
    ).toBe(204);
    const rejected = (await queue(admin, '?state=2')).body.data.find((a: { id: number }) => a.id === account);
    expect(rejected).toMatchObject({
      state: { id: 2, label: 'Rejected' },
      flaggedAccount: { name: owner.username },
    });
    expect(
      (await t.call('PUT', '/api/v1/abuses/999999', { token: admin.token, body: { state: 2 } })).status,
    ).toBe(404);
    expect(
      (await t.call('PUT', `/api/v1/abuses/${account}`, { token: admin.token, body: { state: 7 } })).status,
    ).toBe(400);
  });

  it('pages the queue by cursor', async () => {
    const videoId = await createOwnedVideo(t, owner);
    for (const reason of ['one', 'two', 'three'])
      await report(alice, { reason: `report ${reason}`, video: { id: videoId } });
    const first = await queue(admin, '?count=2');
    expect(first.body.data).toHaveLength(2);
    const second = await queue(admin, `?count=2&cursor=${first.body.nextCursor}`);
    const seen = [...first.body.data, ...second.body.data].map((a: { id: number }) => a.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(first.body.total).toBeGreaterThanOrEqual(3);
  });
});
