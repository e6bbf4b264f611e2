import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatMessages, liveSessions } from '../../db/schema/index.js';
import { goLive } from '../../origin/test/live-client.js';
import { CHAT_CLOSE, CHAT_LIMITS, type ServerFrame } from '../../protocol/chat.js';
import { RefusedUpgrade, TestChatSocket } from './chat-client.js';
import { startTwoOrigins } from './origins.js';

const REDIS = process.env.REDIS_URL_TEST ?? 'redis://127.0.0.1:6379';
const isType =
  <T extends ServerFrame['type']>(type: T) =>
  (f: ServerFrame): f is Extract<ServerFrame, { type: T }> =>
    f.type === type;

describe('live chat across two origins (real Redis, real PostgreSQL)', () => {
  let t: Awaited<ReturnType<typeof startTwoOrigins>>;
  const sockets: TestChatSocket[] = [];
  const open = async (url: string, videoId: string, auth: Parameters<typeof TestChatSocket.open>[2] = {}) => {
    const socket = await TestChatSocket.open(url, videoId, auth);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    t = await startTwoOrigins(REDIS);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
  });

  it('carries a message posted on one origin to a client on the other, and keeps it for the history', async () => {
    const live = await goLive(t, 'chat1');
    const alice = await t.signUp('alice');
    const bob = await t.signUp('bob');
    const onA = await open(t.urlA, live.videoId, { token: alice.token });
    const onB = await open(t.urlB, live.videoId, { token: bob.token });
    const history = onA.frames[0];
    expect(history).toEqual(
      expect.objectContaining({
        type: 'history',
        messages: [],
        open: true,
        you: expect.objectContaining({ canPost: true, canModerate: false }),
      }),
    );

    const ack = await onA.post('hello from A', 'c-1');
    expect(ack).toEqual({ type: 'ack', clientMsgId: 'c-1', id: expect.any(String) });
    const seen = await onB.next(isType('message'));
    expect(seen).toEqual(
      expect.objectContaining({
        id: (ack as { id: string }).id,
        text: 'hello from A',
        user: expect.objectContaining({ id: alice.userId, username: alice.username }),
      }),
    );
    expect(seen.offsetMs).toBeGreaterThanOrEqual(0);
    await onB.post('hello from B');
    await onA.next((f) => f.type === 'message' && f.text === 'hello from B');

    // A resend of the same clientMsgId is acknowledged with the same id and stored once.
    expect(await onA.post('hello from A', 'c-1')).toEqual(ack);
    const rows = await t.database.db
      .select()
      .from(chatMessages)
      .where(eq(chatMessages.videoId, live.videoId));
    expect(rows).toHaveLength(2);

    // A late joiner, on either origin, gets both in its history, oldest first; cookies work too.
    const late = await open(t.urlB, live.videoId, { cookie: `vidra_at=${bob.token}` });
    const lateHistory = late.frames[0] as Extract<ServerFrame, { type: 'history' }>;
    expect(lateHistory.messages.map((m) => m.text)).toEqual(['hello from A', 'hello from B']);
    expect(lateHistory.you.userId).toBe(bob.userId);
  });

  it('lets anonymous clients read and not post', async () => {
    const live = await goLive(t, 'chat2');
    const alice = await t.signUp('alice');
    const anon = await open(t.urlB, live.videoId);
    expect(anon.frames[0]).toEqual(expect.objectContaining({ you: { canPost: false, canModerate: false } }));
    const poster = await open(t.urlA, live.videoId, { token: alice.token });
    await poster.post('for everyone');
    await anon.next((f) => f.type === 'message' && f.text === 'for everyone');
    expect(await anon.post('me too')).toEqual(
      expect.objectContaining({ type: 'error', code: 'unauthorized' }),
    );
  });

  it('answers error frames for the rate limit, the length limit and bad frames', async () => {
    const live = await goLive(t, 'chat3');
    const alice = await t.signUp('alice');
    const s = await open(t.urlA, live.videoId, { token: alice.token });
    const long = await s.post('x'.repeat(CHAT_LIMITS.maxTextLength + 1));
    expect(long).toEqual(expect.objectContaining({ type: 'error', code: 'too_long' }));
    for (const n of [1, 2, 3]) expect((await s.post(`quick ${n}`)).type).toBe('ack');
    const fourth = await s.post('quick 4');
    expect(fourth).toEqual(
      expect.objectContaining({
        type: 'error',
        code: 'rate_limited',
        retryAfterMs: CHAT_LIMITS.rateTimeoutMs,
      }),
    );
    expect(await s.post('still too soon')).toEqual(expect.objectContaining({ code: 'rate_limited' }));
    const from = s.frames.length;
    s.send({ type: 'shout', text: 'hi' });
    expect(await s.next(isType('error'), 5000, from)).toEqual(
      expect.objectContaining({ code: 'invalid_frame' }),
    );
  });

  it('applies delete, timeout, ban and slow mode on both origins; a ban survives a reconnect', async () => {
    const live = await goLive(t, 'chat4');
    const owner = live.owner;
    const carol = await t.signUp('carol');
    const dave = await t.signUp('dave');
    const mod = await open(t.urlA, live.videoId, { token: owner.token });
    expect(mod.frames[0]).toEqual(
      expect.objectContaining({ you: expect.objectContaining({ canModerate: true }) }),
    );
    const carolOnB = await open(t.urlB, live.videoId, { token: carol.token });
    const watcherOnA = await open(t.urlA, live.videoId, { token: dave.token });

    // Not a moderator: refused.
    const from = carolOnB.frames.length;
    carolOnB.send({ type: 'ban', userId: dave.userId });
    expect(await carolOnB.next(isType('error'), 5000, from)).toEqual(
      expect.objectContaining({ code: 'forbidden' }),
    );

    const ack = (await carolOnB.post('rude words')) as { id: string };
    mod.send({ type: 'delete', id: ack.id });
    for (const s of [carolOnB, watcherOnA]) await s.next((f) => f.type === 'delete' && f.id === ack.id);
    const late = await open(t.urlB, live.videoId);
    expect((late.frames[0] as { messages: unknown[] }).messages).toEqual([]);

    mod.send({ type: 'timeout', userId: carol.userId, seconds: 60 });
    for (const s of [carolOnB, watcherOnA])
      await s.next((f) => f.type === 'timeout' && f.userId === carol.userId);
    expect(await carolOnB.post('am I back?')).toEqual(
      expect.objectContaining({ code: 'timed_out', retryAfterMs: expect.any(Number) }),
    );

    mod.send({ type: 'ban', userId: carol.userId });
    for (const s of [carolOnB, watcherOnA])
      await s.next((f) => f.type === 'ban' && f.userId === carol.userId);
    expect(await carolOnB.post('hello?')).toEqual(expect.objectContaining({ code: 'banned' }));
    carolOnB.close();
    for (const url of [t.urlA, t.urlB]) {
      const again = await open(url, live.videoId, { token: carol.token });
      expect(await again.post('new socket, same me')).toEqual(expect.objectContaining({ code: 'banned' }));
    }

    mod.send({ type: 'slow-mode', seconds: 30 });
    await watcherOnA.next((f) => f.type === 'slow-mode' && f.seconds === 30);
    await late.next((f) => f.type === 'slow-mode' && f.seconds === 30);
    expect((await watcherOnA.post('one')).type).toBe('ack');
    expect(await watcherOnA.post('two')).toEqual(expect.objectContaining({ code: 'slow_mode' }));
    // Moderators are not slowed down.
    expect((await mod.post('owner 1')).type).toBe('ack');
    expect((await mod.post('owner 2')).type).toBe('ack');
  });

  it('lets a moderator the owner named moderate, and only the owner name one', async () => {
    const live = await goLive(t, 'chat7');
    const mona = await t.signUp('mona');
    const troll = await t.signUp('troll');
    const path = `/api/v1/channels/${live.handle}/chat/moderators/${mona.username}`;
    expect((await t.call('PUT', path, { token: troll.token })).status).toBe(403);
    const named = await t.call('PUT', path, { token: live.owner.token });
    expect(named.status).toBe(200);
    expect(named.body).toEqual([expect.objectContaining({ userId: mona.userId, username: mona.username })]);
    const mod = await open(t.urlB, live.videoId, { token: mona.token });
    expect(mod.frames[0]).toEqual(
      expect.objectContaining({ you: expect.objectContaining({ canModerate: true }) }),
    );
    const trollOnA = await open(t.urlA, live.videoId, { token: troll.token });
    mod.send({ type: 'ban', userId: troll.userId });
    await trollOnA.next((f) => f.type === 'ban' && f.userId === troll.userId);
    expect(await trollOnA.post('spam')).toEqual(expect.objectContaining({ code: 'banned' }));
    mod.send({ type: 'unban', userId: troll.userId });
    await trollOnA.next((f) => f.type === 'unban');
    expect((await trollOnA.post('sorry')).type).toBe('ack');
    expect((await t.call('DELETE', path, { token: live.owner.token })).body).toEqual([]);
  });

  it('closes the sockets of viewers who can no longer see the video, and refuses them afterwards', async () => {
    const live = await goLive(t, 'chat5');
    const eve = await t.signUp('eve');
    const viewer = await open(t.urlB, live.videoId, { token: eve.token });
    const owner = await open(t.urlA, live.videoId, { token: live.owner.token });
    const patched = await t.call('PATCH', `/api/v1/videos/${live.videoId}`, {
      token: live.owner.token,
      body: { privacy: 'private' },
    });
    expect(patched.status).toBe(200);
    await t.outbox.drain();
    expect((await viewer.waitClosed()).code).toBe(CHAT_CLOSE.accessRevoked);
    expect(owner.closed).toBeUndefined();
    await expect(TestChatSocket.open(t.urlA, live.videoId, { token: eve.token })).rejects.toEqual(
      new RefusedUpgrade(404),
    );
    await expect(TestChatSocket.open(t.urlB, live.videoId)).rejects.toEqual(new RefusedUpgrade(404));
  });

  it('stays readable on the replay, read-only, with each message at its offset', async () => {
    const live = await goLive(t, 'chat6');
    const alice = await t.signUp('alice');
    const s = await open(t.urlA, live.videoId, { token: alice.token });
    await s.post('first');
    await new Promise((r) => setTimeout(r, 300));
    await s.post('second');
    await t.database.db
      .update(liveSessions)
      .set({ endedAt: new Date() })
      .where(eq(liveSessions.id, live.sessionId));
    await new Promise((r) => setTimeout(r, 2100)); // room facts are re-read after 2 s
    expect(await s.post('after the end')).toEqual(expect.objectContaining({ code: 'closed' }));
    const replay = await open(t.urlB, live.videoId);
    expect(replay.frames[0]).toEqual(expect.objectContaining({ open: false }));
    const page = await t.call('GET', `/api/v1/videos/${live.videoId}/chat/messages?fromOffsetMs=0`);
    expect(page.status).toBe(200);
    const [first, second] = page.body.messages;
    expect([first.text, second.text]).toEqual(['first', 'second']);
    expect(second.offsetMs - first.offsetMs).toBeGreaterThanOrEqual(250);
    const later = await t.call(
      'GET',
      `/api/v1/videos/${live.videoId}/chat/messages?fromOffsetMs=${second.offsetMs}`,
    );
    expect(later.body.messages.map((m: { text: string }) => m.text)).toEqual(['second']);
  });
});
