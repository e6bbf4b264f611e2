import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { videos } from '../../db/schema/index.js';
import type { Privacy } from '../../protocol/video.js';
import { createLogger } from '../src/lib/logger.js';
import type { MailMessage } from '../src/services/mail/mailer.js';
import { notificationsSubscriber } from '../src/services/notifications/subscriber.js';
import { createOutboxDispatcher } from '../src/services/outbox/dispatcher.js';
import { recordEvent } from '../src/services/outbox/record.js';
import { createTestApp, DRIVERS, type TestApp } from './harness.js';
import { ONE_RUNG_OUTPUTS, queuedTestVideo, registerTestRunner } from './runner-client.js';
import { type TestUser, testChannel, testVideo } from './social-fixtures.js';

describe.each(DRIVERS)('notifications on %s', (driver) => {
  let t: TestApp;
  let owner: TestUser;
  let fan: TestUser;
  let stranger: TestUser;
  let channel: { id: string; handle: string };
  const logger = createLogger('silent');
  const subscriber = () =>
    notificationsSubscriber({
      db: t.database.db,
      logger,
      mailer: t.services.mailer,
      publicUrl: 'https://vidra.example/',
    });
  const drain = () =>
    createOutboxDispatcher({ db: t.database.db, logger, subscribers: [subscriber()] }).drain();

  beforeAll(async () => {
    t = await createTestApp(driver);
    owner = await t.signUp('owner');
    fan = await t.signUp('fan');
    stranger = await t.signUp('stranger');
    channel = await testChannel(t, owner);
    const res = await t.call('POST', '/api/v1/users/me/subscriptions', {
      token: fan.token,
      body: { uri: channel.handle },
    });
    expect(res.status).toBe(204);
  });
  afterAll(() => t.close());

  const list = async (user: TestUser, query = '') => {
    const res = await t.call('GET', `/api/v1/users/me/notifications${query}`, { token: user.token });
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    return res.body;
  };
  const kindsOf = async (user: TestUser, videoId: string) =>
    (await list(user, '?count=100')).data
      .filter((n: { video?: { uuid: string }; comment?: { video?: { uuid: string } } }) =>
        [n.video?.uuid, n.comment?.video?.uuid].includes(videoId),
      )
      .map((n: { kind: string }) => n.kind);
  const settings = (user: TestUser, body: Record<string, number>) =>
    t.call('PUT', '/api/v1/users/me/notification-settings', { token: user.token, body });
  const mailTo = (user: TestUser) => t.mailbox.filter((m: MailMessage) => m.to === user.email);

  /** Publish a video of the channel through the runner protocol, as a transcode would. */
  async function publishVideo(privacy: Privacy = 'public') {
    const { videoId, jobId } = await queuedTestVideo(t, owner.token, channel.id);
    await t.database.db.update(videos).set({ privacy }).where(eq(videos.id, videoId));
    const runner = await registerTestRunner(t, `r-${randomUUID().slice(0, 6)}`);
    await runner.post(`${jobId}/accept`);
    await runner.putOutputs(jobId);
    expect((await runner.post(`${jobId}/complete`, ONE_RUNG_OUTPUTS)).body).toEqual({ outcome: 'published' });
    await drain();
    return videoId;
  }

  it('tells subscribers of a new public video and its owner that it is ready, and nobody else', async () => {
    const videoId = await publishVideo();
    expect(await kindsOf(fan, videoId)).toEqual(['new_video_from_subscription']);
    expect(await kindsOf(owner, videoId)).toEqual(['my_video_published']);
    expect(await kindsOf(stranger, videoId)).toEqual([]);
    const [notice] = (await list(fan)).data;
    expect(notice).toEqual({
      id: expect.any(Number),
      type: 1,
      kind: 'new_video_from_subscription',
      read: false,
      video: {
        uuid: videoId,
        name: 'job',
        channel: { name: channel.handle, displayName: `Channel ${channel.handle}` },
      },
      createdAt: expect.any(String),
    });
    expect((await list(owner)).data[0]).toMatchObject({ type: 6, kind: 'my_video_published' });

    // A notice never outlives access: private hides it from subscribers, deletion from everyone.
    const unread = async (user: TestUser) =>
      (await t.call('GET', '/api/v1/users/me/notifications/unread-count', { token: user.token })).body.unread;
    const fanUnread = await unread(fan);
    await t.call('PATCH', `/api/v1/videos/${videoId}`, { token: owner.token, body: { privacy: 'private' } });
    expect(await kindsOf(fan, videoId)).toEqual([]);
    expect(await unread(fan)).toBe(fanUnread - 1);
    expect(await kindsOf(owner, videoId)).toEqual(['my_video_published']);
    expect((await t.call('DELETE', `/api/v1/videos/${videoId}`, { token: owner.token })).status).toBe(204);
    expect(await kindsOf(owner, videoId)).toEqual([]);
  });

  it('tells only the owner when the new video is private, and subscribers once it is made public', async () => {
    const videoId = await publishVideo('private');
    expect(await kindsOf(owner, videoId)).toEqual(['my_video_published']);
    expect(await kindsOf(fan, videoId)).toEqual([]);
    const privacy = (p: Privacy) =>
      t.call('PATCH', `/api/v1/videos/${videoId}`, { token: owner.token, body: { privacy: p } });
    await privacy('public');
    await drain();
    expect(await kindsOf(fan, videoId)).toEqual(['new_video_from_subscription']);
    // Hidden and shown again: still one notice.
    await privacy('unlisted');
    await privacy('internal');
    await drain();
    expect(await kindsOf(fan, videoId)).toEqual(['new_video_from_subscription']);
  });

  it('tells the owner when processing fails, through video.failed', async () => {
    const { videoId, jobId } = await queuedTestVideo(t, owner.token, channel.id);
    const runner = await registerTestRunner(t, 'failing');
    await runner.post(`${jobId}/accept`);
    await runner.post(`${jobId}/fail`, { reason: 'Not a video file', retryable: false });
    await drain();
    expect(await kindsOf(owner, videoId)).toEqual(['my_video_failed']);
    expect((await list(owner)).data[0]).toMatchObject({ type: 8, kind: 'my_video_failed' });
    expect(await kindsOf(fan, videoId)).toEqual([]);
  });

  it('tells the owner when a ladder fails after fast first play, though the video stays ready', async () => {
    const { videoId, jobId } = await queuedTestVideo(t, owner.token, channel.id);
    const runner = await registerTestRunner(t, 'ladder-failing');
    await runner.post(`${jobId}/accept`);
    await runner.putOutputs(jobId);
    expect((await runner.post(`${jobId}/preview`, ONE_RUNG_OUTPUTS)).body).toEqual({ outcome: 'published' });
    await drain();
    const reason = 'The storage is read-only (while storing init.mp4)';
    await runner.post(`${jobId}/fail`, { reason, retryable: false });
    await drain();
    expect((await t.call('GET', `/api/v1/videos/${videoId}`, { token: owner.token })).body).toMatchObject({
      state: 'ready',
      processing: { stage: 'failed', error: reason },
    });
    expect(await kindsOf(owner, videoId)).toContain('my_video_failed');
    const notice = (await list(owner)).data.find(
      (n: { kind: string; video?: { uuid: string } }) =>
        n.kind === 'my_video_failed' && n.video?.uuid === videoId,
    );
    expect(notice).toMatchObject({ type: 8 });
    expect(await kindsOf(fan, videoId)).not.toContain('my_video_failed');
  });

  it('tells the owner and the subscribers when a live starts', async () => {
    const videoId = await testVideo(t, owner, channel.id, { state: 'live', title: 'On air' });
    await t.database.db.transaction((tx) =>
      recordEvent(tx, {
        type: 'live.started',
        payload: { videoId, channelId: channel.id, streamId: randomUUID() },
      }),
    );
    await drain();
    expect(await kindsOf(owner, videoId)).toEqual(['my_live_started']);
    expect(await kindsOf(fan, videoId)).toEqual(['new_live_from_subscription']);
  });

  it('tells the replied-to author and the video owner of a visible comment, never its author', async () => {
    const videoId = await testVideo(t, owner, channel.id, { state: 'ready', title: 'Talked about' });
    const comment = (over: {
      commentId: number;
      authorId: string;
      inReplyToAuthorId: string | null;
      visible: boolean;
    }) =>
      t.database.db.transaction((tx) =>
        recordEvent(tx, {
          type: 'comment.created',
          payload: { videoId, channelId: channel.id, threadId: 1, videoOwnerId: owner.userId, ...over },
        }),
      );
    await comment({ commentId: 1, authorId: fan.userId, inReplyToAuthorId: null, visible: true });
    await comment({ commentId: 2, authorId: stranger.userId, inReplyToAuthorId: fan.userId, visible: true });
    await comment({ commentId: 3, authorId: owner.userId, inReplyToAuthorId: owner.userId, visible: true });
    await comment({ commentId: 4, authorId: stranger.userId, inReplyToAuthorId: fan.userId, visible: false });
    await drain();
    expect(await kindsOf(owner, videoId)).toEqual(['new_comment_on_my_video', 'new_comment_on_my_video']);
    expect(await kindsOf(fan, videoId)).toEqual(['reply_to_my_comment']);
    expect(await kindsOf(stranger, videoId)).toEqual([]);
    const [reply] = (await list(fan)).data;
    expect(reply).toMatchObject({
      type: 11,
      comment: { id: 2, threadId: 1, account: { name: stranger.username }, video: { uuid: videoId } },
      account: { name: stranger.username },
    });
  });

  it('counts unread notices, marks some or all read, and filters on unread', async () => {
    const reader = await t.signUp('reader');
    const mine = await testChannel(t, reader);
    for (let i = 0; i < 3; i++) {
      const videoId = await testVideo(t, reader, mine.id, { state: 'live' });
      await t.database.db.transaction((tx) =>
        recordEvent(tx, {
          type: 'live.started',
          payload: { videoId, channelId: mine.id, streamId: randomUUID() },
        }),
      );
    }
    await drain();
    const count = async () =>
      (await t.call('GET', '/api/v1/users/me/notifications/unread-count', { token: reader.token })).body;
    expect(await count()).toEqual({ unread: 3 });
    const all = await list(reader);
    expect(all.total).toBe(3);
    const [newest] = all.data;
    const othersId = (await list(owner)).data[0].id;
    const read = await t.call('POST', '/api/v1/users/me/notifications/read', {
      token: reader.token,
      body: { ids: [newest.id, othersId] },
    });
    expect(read.status).toBe(204);
    expect(await count()).toEqual({ unread: 2 });
    expect((await list(owner)).data[0].read).toBe(false);
    const unread = await list(reader, '?unread=true');
    expect(unread.total).toBe(2);
    expect(unread.data.map((n: { id: number }) => n.id)).not.toContain(newest.id);
    expect((await list(reader)).data[0]).toMatchObject({ id: newest.id, read: true });
    const readAll = await t.call('POST', '/api/v1/users/me/notifications/read-all', { token: reader.token });
    expect(readAll.status).toBe(204);
    expect(await count()).toEqual({ unread: 0 });
    expect((await t.call('GET', '/api/v1/users/me/notifications')).status).toBe(401);
    const bad = await t.call('POST', '/api/v1/users/me/notifications/read', {
      token: reader.token,
      body: { ids: [] },
    });
    expect(bad.status).toBe(400);
  });

  it('follows each kind’s settings: off, in the app only, by mail only, or both', async () => {
    const viewer = await t.signUp('viewer');
    await t.call('POST', '/api/v1/users/me/subscriptions', {
      token: viewer.token,
      body: { uri: channel.handle },
    });
    const defaults = await t.call('GET', '/api/v1/users/me/notification-settings', { token: viewer.token });
    expect(defaults.body).toMatchObject({
      newVideoFromSubscription: 1,
      myVideoPublished: 1,
      commentMention: 1,
    });

    expect((await settings(viewer, { newVideoFromSubscription: 0 })).status).toBe(204);
    const off = await publishVideo();
    expect(await kindsOf(viewer, off)).toEqual([]);
    expect(mailTo(viewer)).toEqual([]);

    await settings(viewer, { newVideoFromSubscription: 2 });
    const mailOnly = await publishVideo();
    expect(await kindsOf(viewer, mailOnly)).toEqual([]);
    expect(mailTo(viewer)).toHaveLength(1);
    expect(mailTo(viewer)[0]).toMatchObject({ subject: `Channel ${channel.handle} published "job"` });
    expect(mailTo(viewer)[0]?.text).toContain(`https://vidra.example/w/${mailOnly}`);

    await settings(viewer, { newVideoFromSubscription: 3 });
    const both = await publishVideo();
    expect(await kindsOf(viewer, both)).toEqual(['new_video_from_subscription']);
    expect(mailTo(viewer)).toHaveLength(2);
    // The other settings kept their value, and nonsense is refused.
    const after = await t.call('GET', '/api/v1/users/me/notification-settings', { token: viewer.token });
    expect(after.body).toMatchObject({ newVideoFromSubscription: 3, myVideoPublished: 1 });
    expect((await settings(viewer, { newVideoFromSubscription: 4 })).status).toBe(400);
    expect((await settings(viewer, { somethingElse: 1 })).status).toBe(400);
  });

  it('makes one notice and one mail per recipient however often an event is delivered', async () => {
    const videoId = await testVideo(t, owner, channel.id, { state: 'live' });
    await settings(owner, { myLiveStarted: 3 });
    const event = {
      id: randomUUID(),
      type: 'live.started' as const,
      payload: { videoId, channelId: channel.id, streamId: randomUUID() },
      occurredAt: new Date().toISOString(),
    };
    const meta = { idempotencyKey: `${event.id}:notifications`, attempt: 1 };
    const before = mailTo(owner).length;
    await subscriber().deliver(event, meta);
    await subscriber().deliver(event, { ...meta, attempt: 2 });
    expect(await kindsOf(owner, videoId)).toEqual(['my_live_started']);
    expect(await kindsOf(fan, videoId)).toEqual(['new_live_from_subscription']);
    expect(mailTo(owner).length - before).toBe(1);

    // A mailer that fails once: the retried delivery mails who was not mailed yet, and adds no notice.
    let failures = 1;
    const flaky = notificationsSubscriber({
      db: t.database.db,
      logger,
      mailer: {
        async send(message) {
          if (failures-- > 0) throw new Error('mail relay down');
          await t.services.mailer.send(message);
        },
      },
    });
    const again = { ...event, id: randomUUID() };
    const key = { idempotencyKey: `${again.id}:notifications`, attempt: 1 };
    await expect(flaky.deliver(again, key)).rejects.toThrow('mail relay down');
    await flaky.deliver(again, { ...key, attempt: 2 });
    expect(mailTo(owner).length - before).toBe(2);
    expect(await kindsOf(owner, videoId)).toEqual(['my_live_started', 'my_live_started']);
  });
});
