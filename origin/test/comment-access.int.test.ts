import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentLikes, outboxEvents } from '../../db/schema/index.js';
import {
  createOwnedVideo,
  postComment,
  signUpCast,
  type TestUser,
  threadsSeenBy,
} from './comment-fixtures.js';
import { createTestApp, DRIVERS, type TestApp } from './harness.js';

const ids = (res: { body: { data: Array<{ id: number }> } }) => res.body.data.map((c) => c.id);

describe.each(DRIVERS)('who sees and writes comments, on %s', (driver) => {
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

  it("hides a private video's comments from everyone else, exactly like the video", async () => {
    const videoId = await createOwnedVideo(t, owner, { privacy: 'private' });
    const own = await postComment(t, owner, videoId, 'note to self');
    expect(own.status).toBe(201);
    const threadPath = `/api/v1/videos/${videoId}/comment-threads/${own.body.comment.id}`;
    for (const user of [undefined, alice]) {
      const listed = await threadsSeenBy(t, user, videoId);
      expect(listed.status).toBe(404);
      expect(listed.body.error.message).toBe('Video not found');
      expect((await t.call('GET', threadPath, user ? { token: user.token } : {})).status).toBe(404);
    }
    expect((await postComment(t, alice, videoId, 'sneaky')).status).toBe(404);
    expect((await threadsSeenBy(t, admin, videoId)).body.total).toBe(1);
    expect((await threadsSeenBy(t, owner, videoId)).body.total).toBe(1);
  });

  it("reads an unlisted video's comments by link, and asks for the password of a password video", async () => {
    const unlisted = await createOwnedVideo(t, owner, { privacy: 'unlisted' });
    await postComment(t, alice, unlisted, 'found it');
    expect((await threadsSeenBy(t, undefined, unlisted)).body.total).toBe(1);
    const locked = await createOwnedVideo(t, owner, { privacy: 'password' });
    const refused = await threadsSeenBy(t, alice, locked);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('password_required');
    const opened = await t.call('GET', `/api/v1/videos/${locked}/comment-threads`, {
      token: alice.token,
      headers: { 'x-video-password': 'open sesame' },
    });
    expect(opened.status).toBe(200);
    const internal = await createOwnedVideo(t, owner, { privacy: 'internal' });
    expect((await threadsSeenBy(t, undefined, internal)).status).toBe(401);
    expect((await threadsSeenBy(t, bob, internal)).status).toBe(200);
  });

  it('refuses every new comment on a video whose comments are disabled, the owner included', async () => {
    const videoId = await createOwnedVideo(t, owner, { commentsPolicy: 'disabled' });
    expect((await t.call('GET', `/api/v1/videos/${videoId}`)).body.commentsPolicy).toEqual({
      id: 2,
      label: 'Disabled',
    });
    for (const user of [alice, owner]) {
      const res = await postComment(t, user, videoId, 'hello?');
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe('Comments are disabled on this video');
    }
  });

  it("accepts PeerTube's policy numbers, and refuses unknown policies", async () => {
    const videoId = await createOwnedVideo(t, owner);
    const path = `/api/v1/videos/${videoId}`;
    const res = await t.call('PATCH', path, { token: owner.token, body: { commentsPolicy: 3 } });
    expect(res.status).toBe(200);
    expect(res.body.commentsPolicy).toEqual({ id: 3, label: 'Requires approval' });
    expect(
      (await t.call('PATCH', path, { token: owner.token, body: { commentsPolicy: 'sometimes' } })).status,
    ).toBe(400);
    expect((await t.call('PATCH', path, { token: alice.token, body: { commentsPolicy: 1 } })).status).toBe(
      403,
    );
  });

  it('holds comments for approval: only the owner (and author) see them until the owner approves', async () => {
    const videoId = await createOwnedVideo(t, owner, { commentsPolicy: 'approval' });
    const held = await postComment(t, alice, videoId, 'please approve');
    expect(held.status).toBe(201);
    expect(held.body.comment.heldForReview).toBe(true);
    const commentId = held.body.comment.id;
    const byOwner = await postComment(t, owner, videoId, 'owner speaks freely');
    expect(byOwner.body.comment.heldForReview).toBe(false);

    expect(ids(await threadsSeenBy(t, bob, videoId))).toEqual([byOwner.body.comment.id]);
    expect((await threadsSeenBy(t, undefined, videoId)).body.total).toBe(1);
    expect(ids(await threadsSeenBy(t, alice, videoId))).toContain(commentId);
    const ownerView = await threadsSeenBy(t, owner, videoId);
    expect(ownerView.body.data.find((c: { id: number }) => c.id === commentId)).toMatchObject({
      heldForReview: true,
    });
    expect(
      (await t.call('GET', `/api/v1/videos/${videoId}/comment-threads/${commentId}`, { token: bob.token }))
        .status,
    ).toBe(404);

    const approve = `/api/v1/videos/${videoId}/comments/${commentId}/approve`;
    expect((await t.call('POST', approve, { token: alice.token })).status).toBe(403);
    expect((await t.call('POST', approve, { token: owner.token })).status).toBe(204);
    expect((await t.call('POST', approve, { token: owner.token })).status).toBe(409);
    expect(ids(await threadsSeenBy(t, bob, videoId))).toContain(commentId);

    const events = (
      await t.database.db.select().from(outboxEvents).where(eq(outboxEvents.type, 'comment.created'))
    )
      .map((row) => row.payload as { commentId: number; visible: boolean })
      .filter((p) => p.commentId === commentId);
    expect(events.map((p) => p.visible)).toEqual([false, true]);
  });

  it('counts a held reply only once it is approved', async () => {
    const videoId = await createOwnedVideo(t, owner, { commentsPolicy: 'approval' });
    const root = (await postComment(t, owner, videoId, 'ask me')).body.comment;
    const reply = (await postComment(t, alice, videoId, 'a question', root.id)).body.comment;
    expect(reply.heldForReview).toBe(true);
    const tree = await t.call('GET', `/api/v1/videos/${videoId}/comment-threads/${root.id}`, {
      token: bob.token,
    });
    expect(tree.body.children).toEqual([]);
    expect((await threadsSeenBy(t, bob, videoId)).body.data[0].totalReplies).toBe(0);
    await t.call('POST', `/api/v1/videos/${videoId}/comments/${reply.id}/approve`, { token: owner.token });
    expect((await threadsSeenBy(t, bob, videoId)).body.data[0].totalReplies).toBe(1);
  });

  it("stops a blocked account commenting or replying on the blocker's videos, with a clear 403", async () => {
    const videoId = await createOwnedVideo(t, owner);
    const root = (await postComment(t, alice, videoId, 'before the block')).body.comment;
    const block = await t.call('POST', '/api/v1/users/me/blocklist/accounts', {
      token: owner.token,
      body: { accountName: bob.username },
    });
    expect(block.status).toBe(204);
    for (const res of [
      await postComment(t, bob, videoId, 'hi'),
      await postComment(t, bob, videoId, 're', root.id),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/blocked you/);
    }
    // Elsewhere bob still comments; a mute (not a block) does not stop anyone commenting.
    const elsewhere = await createOwnedVideo(t, alice);
    expect((await postComment(t, bob, elsewhere, 'fine here')).status).toBe(201);
    await t.call('POST', '/api/v1/users/me/blocklist/accounts', {
      token: owner.token,
      body: { accountName: bob.username, block: false },
    });
    expect((await postComment(t, bob, videoId, 'muted only')).status).toBe(201);
  });

  it("hides muted and blocked accounts' comments from whoever muted them, and only from them", async () => {
    const videoId = await createOwnedVideo(t, owner);
    const fromBob = (await postComment(t, bob, videoId, 'from bob')).body.comment;
    const root = (await postComment(t, owner, videoId, 'a thread')).body.comment;
    await postComment(t, bob, videoId, 'bob replies', root.id);
    const mute = await t.call('POST', '/api/v1/users/me/blocklist/accounts', {
      token: alice.token,
      body: { accountName: bob.username.toUpperCase(), block: false },
    });
    expect(mute.status).toBe(204);
    expect(ids(await threadsSeenBy(t, alice, videoId))).toEqual([root.id]);
    const tree = await t.call('GET', `/api/v1/videos/${videoId}/comment-threads/${root.id}`, {
      token: alice.token,
    });
    expect(tree.body.children).toEqual([]);
    expect(ids(await threadsSeenBy(t, admin, videoId))).toEqual([root.id, fromBob.id]);

    const list = await t.call('GET', '/api/v1/users/me/blocklist/accounts', { token: alice.token });
    expect(list.body).toMatchObject({ total: 1, nextCursor: null });
    expect(list.body.data[0]).toMatchObject({
      blocked: false,
      byAccount: { name: alice.username },
      blockedAccount: { name: bob.username },
    });
    const lift = await t.call('DELETE', `/api/v1/users/me/blocklist/accounts/${bob.username}`, {
      token: alice.token,
    });
    expect(lift.status).toBe(204);
    expect(ids(await threadsSeenBy(t, alice, videoId))).toEqual([root.id, fromBob.id]);
    expect(
      (await t.call('DELETE', `/api/v1/users/me/blocklist/accounts/${bob.username}`, { token: alice.token }))
        .status,
    ).toBe(404);
  });

  it('pages the blocklist with its cursor', async () => {
    const blocker = await t.signUp('blocker');
    const path = '/api/v1/users/me/blocklist/accounts';
    for (const user of [owner, alice, bob]) {
      await t.call('POST', path, { token: blocker.token, body: { accountName: user.username } });
    }
    const first = await t.call('GET', `${path}?count=2`, { token: blocker.token });
    expect(first.body).toMatchObject({ total: 3 });
    expect(first.body.data).toHaveLength(2);
    const second = await t.call('GET', `${path}?count=2&cursor=${first.body.nextCursor}`, {
      token: blocker.token,
    });
    expect(second.body).toMatchObject({ total: 3, nextCursor: null });
    const names = [...first.body.data, ...second.body.data].map(
      (row: { blockedAccount: { name: string } }) => row.blockedAccount.name,
    );
    expect(names.sort()).toEqual([owner.username, alice.username, bob.username].sort());
    expect((await t.call('GET', `${path}?cursor=nope`, { token: blocker.token })).status).toBe(400);
  });

  it('refuses blocking oneself, unknown accounts and anonymous callers', async () => {
    const path = '/api/v1/users/me/blocklist/accounts';
    expect(
      (await t.call('POST', path, { token: alice.token, body: { accountName: alice.username } })).status,
    ).toBe(409);
    expect(
      (await t.call('POST', path, { token: alice.token, body: { accountName: 'nobody_here' } })).status,
    ).toBe(404);
    expect((await t.call('POST', path, { body: { accountName: bob.username } })).status).toBe(401);
    expect((await t.call('GET', path)).status).toBe(401);
  });

  it('keeps one like per user and comment, in the API and in the database', async () => {
    const videoId = await createOwnedVideo(t, owner);
    const comment = (await postComment(t, alice, videoId, 'like me')).body.comment;
    const rate = (user: TestUser, rating: string) =>
      t.call('PUT', `/api/v1/videos/${videoId}/comments/${comment.id}/rate`, {
        token: user.token,
        body: { rating },
      });
    expect((await rate(bob, 'like')).status).toBe(204);
    expect((await rate(bob, 'like')).status).toBe(204);
    expect((await rate(owner, 'like')).status).toBe(204);
    const seen = (await threadsSeenBy(t, bob, videoId)).body.data[0];
    expect(seen).toMatchObject({ likes: 2, likedByMe: true });
    expect((await threadsSeenBy(t, alice, videoId)).body.data[0].likedByMe).toBe(false);
    await expect(
      t.database.db.insert(commentLikes).values({ commentId: comment.id, userId: bob.userId }),
    ).rejects.toThrow();
    expect((await rate(bob, 'none')).status).toBe(204);
    expect((await rate(bob, 'none')).status).toBe(204);
    expect((await threadsSeenBy(t, undefined, videoId)).body.data[0].likes).toBe(1);
    const rows = await t.database.db
      .select()
      .from(commentLikes)
      .where(and(eq(commentLikes.commentId, comment.id), eq(commentLikes.userId, bob.userId)));
    expect(rows).toEqual([]);
    expect((await rate(bob, 'dislike')).status).toBe(400);
    expect(
      (
        await t.call('PUT', `/api/v1/videos/${videoId}/comments/${comment.id}/rate`, {
          body: { rating: 'like' },
        })
      ).status,
    ).toBe(401);
  });
});
