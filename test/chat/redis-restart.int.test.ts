import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatMessages } from '../../db/schema/index.js';
import { goLive } from '../../origin/test/live-client.js';
import type { ServerFrame } from '../../protocol/chat.js';
import { TestChatSocket } from './chat-client.js';
import { startTwoOrigins } from './origins.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A Redis of this test's own, without persistence: a restart loses every stream. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (String(chunk).includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return child;
}

/** What a chat client does: resend an unacknowledged message with backoff, same clientMsgId. */
async function postUntilAcked(
  socket: TestChatSocket,
  text: string,
  clientMsgId: string,
  deadlineMs = 15_000,
) {
  const started = Date.now();
  let delay = 100;
  let errors = 0;
  for (;;) {
    const answer: ServerFrame = await socket.post(text, clientMsgId);
    if (answer.type === 'ack') return { id: answer.id, errors };
    expect(answer).toEqual(expect.objectContaining({ type: 'error', code: 'unavailable', clientMsgId }));
    errors += 1;
    if (Date.now() - started > deadlineMs) throw new Error(`no ack for ${text}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 1000);
  }
}

describe('chat through a Redis restart', () => {
  let port: number;
  let redis: ChildProcess;
  let t: Awaited<ReturnType<typeof startTwoOrigins>>;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    t = await startTwoOrigins(`redis://127.0.0.1:${port}`);
  });
  afterAll(async () => {
    await t?.close();
    redis?.kill('SIGKILL');
  });

  it('loses no acknowledged message: each is in PostgreSQL, in the history, and reaches the other origin', async () => {
    const live = await goLive(t, 'restart');
    const alice = await t.signUp('alice');
    const bob = await t.signUp('bob');
    const onA = await TestChatSocket.open(t.urlA, live.videoId, { token: alice.token });
    const onB = await TestChatSocket.open(t.urlB, live.videoId, { token: bob.token });
    const acked: string[] = [];
    const send = async (n: number) => {
      const { id, errors } = await postUntilAcked(onA, `message ${n}`, `m-${n}`);
      acked.push(id);
      return errors;
    };
    for (const n of [1, 2]) await send(n);
    await onB.next((f) => f.type === 'message' && f.text === 'message 2');
    // Let 1 and 2 leave the 2 s rate window, so 3, 4 and 5 never meet Owncast's 3-in-2-s limit
    // however fast Redis comes back: this test is about the outage, not the rate.
    await new Promise((resolve) => setTimeout(resolve, 2100));

    redis.kill('SIGKILL');
    await new Promise((resolve) => redis.once('exit', resolve));
    // Posts during the outage are answered `unavailable`, and resent until Redis is back.
    const during = Promise.all([send(3), new Promise((r) => setTimeout(r, 800)).then(() => send(4))]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    redis = await startRedis(port);
    const errors = await during;
    expect(errors[0]).toBeGreaterThan(0);
    await send(5);

    for (const n of [3, 4, 5])
      await onB.next((f) => f.type === 'message' && f.text === `message ${n}`, 10_000);
    const stored = await t.database.db
      .select({ id: chatMessages.id })
      .from(chatMessages)
      .where(eq(chatMessages.videoId, live.videoId));
    expect(stored.map((r) => r.id).sort()).toEqual([...acked].sort());
    const fresh = await TestChatSocket.open(t.urlB, live.videoId);
    const history = fresh.frames[0] as Extract<ServerFrame, { type: 'history' }>;
    expect(history.messages.map((m) => m.text)).toEqual([1, 2, 3, 4, 5].map((n) => `message ${n}`));
    // Each reached the other origin's client once, not again when the reader re-read after the
    // restart (3 and 4 may arrive in either order: whichever resend got through first).
    const texts = onB.frames.filter((f) => f.type === 'message').map((f) => (f as { text: string }).text);
    expect(texts.sort()).toEqual([1, 2, 3, 4, 5].map((n) => `message ${n}`));
    for (const s of [onA, onB, fresh]) s.close();
  }, 30_000);
});
