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

describe.each(DRIVERS)('comments on %s', (driver) => {
  let t: TestApp;
  let owner: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp(driver);
    ({ owner, alice, bob, admin } = await signUpCast(t));
  });
  afterAll(() => t.close());

  const eventsFor = async (type: string, commentId: number) =>
    (await t.database.db.select().from(outboxEvents).where(eq(outboxEvents.type, type)))
      .map((row) => row.payload as Record<string, unknown>)
      .filter((payload) => payload.commentId === commentId);

  it('posts a thread with PeerTube fields, rendered html, and comment.created in the outbox', async () => {
    const videoId = await createOwnedVideo(t, owner);
    const res = await postComment(t, alice, videoId, 'Nice **video**');
    expect(res.status).toBe(201);
    const comment = res.body.comment;
    expect(comment).toMatchObject({
      text: 'Nice **video**',
      html: '<p>Nice <strong>video</strong></p>',
      inReplyToCommentId: null,
      videoUuid: videoId,
      heldForReview: false,
      isDeleted: false,
      deletedAt: null,
      totalReplies: 0,
      totalRepliesFromVideoAuthor: 0,
      likes: 0,
      account: { name: alice.username, displayName: alice.username, userId: alice.userId },
    });
    expect(Number.isInteger(comment.id)).toBe(true);
    expect(comment.threadId).toBe(comment.id);
    expect(Number.isInteger(comment.videoId)).toBe(true);
    const video = await t.call('GET', `/api/v1/videos/${videoId}`);
    expect(video.body.commentsPolicy).toEqual({ id: 1, label: 'Enabled' });
    expect(await eventsFor('comment.created', comment.id)).toEqual([
      {
        videoId,
        channelId: video.body.channel.id,
        commentId: comment.id,
        threadId: comment.id,
        authorId: alice.userId,
        inReplyToAuthorId: null,
        videoOwnerId: owner.userId,
        visible: true,
      },
    ]);
  });

  it('refuses anonymous posts and empty text', async () => {
    const videoId = await createOwnedVideo(t, owner);
    expect((await postComment(t, undefined, videoId, 'hi')).status).toBe(401);
    const empty = await postComment(t, alice, videoId, '   ');
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('validation_failed');
  });

  it('refuses comments, replies and likes from a suspended account that still holds a token', async () => {
    const videoId = await createOwnedVideo(t, owner);
    const suspended = await t.signUp('suspended');
    const root = (await postComment(t, suspended, videoId, 'before')).body.comment;
    const res = await t.call('POST', `/api/v1/admin/users/${suspended.userId}/suspend`, {
      token: admin.token,
    });
    expect(res.status).toBe(200);
    for (const attempt of [
      await postComment(t, suspended, videoId, 'after'),
      await postComment(t, suspended, videoId, 'reply', root.id),
      await t.call('PUT', `/api/v1/videos/${videoId}/comments/${root.id}/rate`, {
        token: suspended.token,
        body: { rating: 'like' },
      }),
    ]) {
      expect(attempt.status).toBe(403);
      expect(attempt.body.error.message).toMatch(/suspended/);
    }
  });

  it('never lets <script> or javascript: links reach html, while text keeps the source', async () => {
    const videoId = await createOwnedVideo(t, owner);
    const source =
      '<script>alert(1)</script> [x](javascript:alert(1)) <a href="javascript:alert(2)">y</a> https://ok.example';
    const res = await postComment(t, alice, videoId, source);
    expect(res.status).toBe(201);
    expect(res.body.comment.text).toBe(source);
    const listed = (await threadsSeenBy(t, bob, videoId)).body.data[0];
    for (const html of [res.body.comment.html, listed.html]) {
      expect(html).not.toMatch(/<script/i);
      // The only element link is the https one; the rest is shown as inert text.
      expect(html.match(/<a\s[^>]*>/gi)).toEqual([
        '<a href="https://ok.example" rel="nofollow noopener ugc">',
      ]);
      expect(html).toContain('&lt;script&gt;');
    }
  });

  it('keeps reply threads, counts replies and answers the nested tree', async () => {
    const videoId = await createOwnedVideo(t, owner);
    const root = (await postComment(t, alice, videoId, 'root')).body.comment;
    const reply = await postComment(t, bob, videoId, 'reply', root.id);
    expect(reply.status).toBe(201);
    expect(reply.body.comment).toMatchObject({ threadId: root.id, inReplyToCommentId: root.id });
    const nested = (await postComment(t, owner, videoId, 'nested', reply.body.comment.id)).body.comment;
    expect(nested).toMatchObject({ threadId: root.id, inReplyToCommentId: reply.body.comment.id });
    const [payload] = await eventsFor('comment.created', nested.id);
    expect(payload).toMatchObject({ inReplyToAuthorId: bob.userId, threadId: root.id });

    const threads = await threadsSeenBy(t, undefined, videoId);
    expect(threads.body).toMatchObject({ total: 1, nextCursor: null });
    expect(threads.body.data[0]).toMatchObject({
      id: root.id,
      totalReplies: 2,
      totalRepliesFromVideoAuthor: 1,
    });
    const tree = await t.call('GET', `/api/v1/videos/${videoId}/comment-threads/${root.id}`);
    expect(tree.status).toBe(200);
    expect(tree.body.comment.id).toBe(root.id);
    expect(tree.body.children).toHaveLength(1);
    expect(tree.body.children[0].comment.text).toBe('reply');
    expect(tree.body.children[0].children[0].comment.text).toBe('nested');
    expect(tree.body.children[0].children[0].children).toEqual([]);
    expect(
      (await t.call('GET', `/api/v1/videos/${videoId}/comment-threads/${reply.body.comment.id}`)).status,
    ).toBe(404);
  });

  it('leaves a tombstone for a deleted comment with replies, and hides one without', async () => {
    const videoId = await createOwnedVideo(t, owner);
    const root = (await postComment(t, alice, videoId, 'soon gone')).body.comment;
    await postComment(t, bob, videoId, 'still here', root.id);
    const lonely = (await postComment(t, alice, videoId, 'lonely')).body.comment;
    expect(
      (await t.call('DELETE', `/api/v1/videos/${videoId}/comments/${root.id}`, { token: alice.token }))
        .status,
    ).toBe(204);
    expect(
      (await t.call('DELETE', `/api/v1/videos/${videoId}/comments/${lonely.id}`, { token: alice.token }))
        .status,
    ).toBe(204);
    const threads = await threadsSeenBy(t, bob, videoId);
    expect(threads.body.total).toBe(1);
    expect(threads.body.data[0]).toMatchObject({
      id: root.id,
      isDeleted: true,
      text: '',
      html: '',
      account: null,
      totalReplies: 1,
    });
    expect(threads.body.data[0].deletedAt).not.toBeNull();
    const tree = await t.call('GET', `/api/v1/videos/${videoId}/comment-threads/${root.id}`);
    expect(tree.body.comment.isDeleted).toBe(true);
    expect(tree.body.children[0].comment.text).toBe('still here');
    expect(await eventsFor('comment.deleted', root.id)).toEqual([
      expect.objectContaining({ commentId: root.id, authorId: alice.userId, deletedBy: alice.userId }),
    ]);
    // A tombstone takes no replies and no second delete.
    expect((await postComment(t, bob, videoId, 'late', root.id)).status).toBe(409);
    expect(
      (await t.call('DELETE', `/api/v1/videos/${videoId}/comments/${root.id}`, { token: alice.token }))
        .status,
    ).toBe(409);
  });

  it('lets the author edit; nobody else, not even the owner', async () => {
    const videoId = await createOwnedVideo(t, owner);
    const comment = (await postComment(t, alice, videoId, 'first')).body.comment;
    const path = `/api/v1/videos/${videoId}/comments/${comment.id}`;
    const edited = await t.call('PUT', path, { token: alice.token, body: { text: 'second *take*' } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ text: 'second *take*', html: '<p>second <em>take</em></p>' });
    for (const user of [bob, owner, admin]) {
      const refused = await t.call('PUT', path, { token: user.token, body: { text: 'hijack' } });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/author/);
    }
    expect((await t.call('PUT', path, { body: { text: 'anon' } })).status).toBe(401);
  });

  it('lets the author, the video owner and an admin delete; others get 403', async () => {
    const videoId = await createOwnedVideo(t, owner);
    const ids = [];
    for (const text of ['a', 'b', 'c', 'd'])
      ids.push((await postComment(t, alice, videoId, text)).body.comment.id);
    const del = (id: number, user: TestUser) =>
      t.call('DELETE', `/api/v1/videos/${videoId}/comments/${id}`, { token: user.token });
    const refused = await del(ids[0], bob);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect((await del(ids[1], alice)).status).toBe(204);
    expect((await del(ids[2], owner)).status).toBe(204);
    expect((await del(ids[3], admin)).status).toBe(204);
    const [byOwner] = await eventsFor('comment.deleted', ids[2]);
    expect(byOwner).toMatchObject({ deletedBy: owner.userId, authorId: alice.userId });
    expect((await threadsSeenBy(t, undefined, videoId)).body.data.map((c: { id: number }) => c.id)).toEqual([
      ids[0],
    ]);
  });

  it('pages threads by cursor and by start, newest first or by replies and likes', async () => {
    const videoId = await createOwnedVideo(t, owner);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await postComment(t, alice, videoId, `c${i}`)).body.comment.id);
    await postComment(t, bob, videoId, 'r', ids[1]);
    await postComment(t, bob, videoId, 'r', ids[1]);
    await postComment(t, bob, videoId, 'r', ids[3]);
    await t.call('PUT', `/api/v1/videos/${videoId}/comments/${ids[2]}/rate`, {
      token: bob.token,
      body: { rating: 'like' },
    });
    const first = await threadsSeenBy(t, undefined, videoId, '?count=2');
    expect(first.body.total).toBe(5);
    expect(first.body.data.map((c: { id: number }) => c.id)).toEqual([ids[4], ids[3]]);
    const second = await threadsSeenBy(t, undefined, videoId, `?count=2&cursor=${first.body.nextCursor}`);
    expect(second.body.data.map((c: { id: number }) => c.id)).toEqual([ids[2], ids[1]]);
    const third = await threadsSeenBy(t, undefined, videoId, `?count=2&cursor=${second.body.nextCursor}`);
    expect(third.body).toMatchObject({ nextCursor: null });
    expect(third.body.data.map((c: { id: number }) => c.id)).toEqual([ids[0]]);
    const offset = await threadsSeenBy(t, undefined, videoId, '?start=3&count=10');
    expect(offset.body.data.map((c: { id: number }) => c.id)).toEqual([ids[1], ids[0]]);
    const top = await threadsSeenBy(t, undefined, videoId, '?sort=-totalReplies&count=2');
    expect(top.body.data.map((c: { id: number }) => c.id)).toEqual([ids[1], ids[3]]);
    const rest = await threadsSeenBy(
      t,
      undefined,
      videoId,
      `?sort=-totalReplies&count=10&cursor=${top.body.nextCursor}`,
    );
    expect(rest.body.data.map((c: { id: number }) => c.id)).toEqual([ids[4], ids[2], ids[0]]);
    const liked = await threadsSeenBy(t, undefined, videoId, '?sort=-likes&count=1');
    expect(liked.body.data[0]).toMatchObject({ id: ids[2], likes: 1 });
    expect((await threadsSeenBy(t, undefined, videoId, '?cursor=garbage')).status).toBe(400);
    expect((await threadsSeenBy(t, undefined, videoId, '?sort=random')).status).toBe(400);
  });
});
