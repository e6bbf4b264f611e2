import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxDeliveries, outboxEvents } from '../../db/schema/index.js';
import type { DomainEvent, EventPayload } from '../../protocol/events.js';
import { createLogger } from '../src/lib/logger.js';
import {
  createOutboxDispatcher,
  type OutboxDispatcherOptions,
  type OutboxSubscriber,
} from '../src/services/outbox/dispatcher.js';
import { OUTBOX_CHANNEL, recordEvent } from '../src/services/outbox/record.js';
import { createTestApp, DRIVERS, type TestApp } from './harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const deletedEvent = (): { type: 'video.deleted'; payload: EventPayload<'video.deleted'> } => ({
  type: 'video.deleted',
  payload: { videoId: randomUUID(), channelId: randomUUID() },
});

interface Seen {
  eventId: string;
  key: string;
  attempt: number;
}

/** A subscriber that records what it was handed and fails its first `failures` deliveries. */
function recorder(name: string, failures = 0) {
  const seen: Seen[] = [];
  let failed = 0;
  const subscriber: OutboxSubscriber = {
    name,
    async deliver(event, meta) {
      seen.push({ eventId: event.id, key: meta.idempotencyKey, attempt: meta.attempt });
      await sleep(2); // long enough for racing dispatchers to interleave
      if (failed < failures) {
        failed++;
        throw new Error(`${name} is down`);
      }
    },
  };
  return { subscriber, seen };
}

describe.each(DRIVERS)('transactional outbox on %s', (driver) => {
  let t: TestApp;
  const logger = createLogger('silent');
  const dispatcher = (subscribers: OutboxSubscriber[], extra: Partial<OutboxDispatcherOptions> = {}) =>
    createOutboxDispatcher({ db: t.database.db, logger, subscribers, ...extra });

  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t.close());

  /** Deliver what earlier tests left, so each test only sees its own events. */
  const settle = () => dispatcher([recorder('a').subscriber, recorder('b').subscriber]).drain();

  it('refuses an event that does not match its protocol schema', async () => {
    const bad = { type: 'video.deleted', payload: { videoId: 'nope' } } as unknown as DomainEvent;
    await expect(t.database.db.transaction((tx) => recordEvent(tx, bad))).rejects.toThrow();
  });

  it('delivers nothing for an event whose transaction rolled back', async () => {
    await settle();
    const sub = recorder('a');
    const event = deletedEvent();
    await expect(
      t.database.db.transaction(async (tx) => {
        await recordEvent(tx, event);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await dispatcher([sub.subscriber]).drain()).toBe(0);
    expect(sub.seen).toEqual([]);
    const rows = await t.database.db.select().from(outboxEvents);
    expect(rows.some((r) => (r.payload as { videoId: string }).videoId === event.payload.videoId)).toBe(
      false,
    );
  });

  it('retries a failing subscriber with backoff until delivered, once per subscriber', async () => {
    await settle();
    const flaky = recorder('a', 2);
    const steady = recorder('b');
    // Backoffs long enough that a loaded machine still drains twice inside the first one.
    const d = dispatcher([flaky.subscriber, steady.subscriber], { backoff: { baseMs: 500, maxMs: 600 } });
    const eventId = await t.database.db.transaction((tx) => recordEvent(tx, deletedEvent()));

    expect(await d.drain()).toBe(1); // b delivered, a failed once
    const [failing] = await t.database.db
      .select()
      .from(outboxDeliveries)
      .where(eq(outboxDeliveries.subscriber, 'a'));
    expect(failing).toMatchObject({ eventId, state: 'pending', attempts: 1, lastError: 'a is down' });
    expect(await d.drain()).toBe(0); // not due yet: the backoff holds it back
    expect(flaky.seen).toHaveLength(1);

    await sleep(550);
    expect(await d.drain()).toBe(0); // second failure
    await sleep(650);
    expect(await d.drain()).toBe(1);
    expect(await d.drain()).toBe(0);

    expect(flaky.seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(new Set(flaky.seen.map((s) => s.key))).toEqual(new Set([`${eventId}:a`]));
    expect(steady.seen).toEqual([{ eventId, key: `${eventId}:b`, attempt: 1 }]);
    const deliveries = await t.database.db
      .select()
      .from(outboxDeliveries)
      .where(eq(outboxDeliveries.eventId, eventId));
    expect(deliveries.map((r) => [r.subscriber, r.state, r.attempts, r.lastError]).sort()).toEqual([
      ['a', 'delivered', 3, null],
      ['b', 'delivered', 1, null],
    ]);
  });

  it('delivers each event to each subscriber once when two dispatchers race', async () => {
    await settle();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++)
      ids.push(await t.database.db.transaction((tx) => recordEvent(tx, deletedEvent())));
    const [a1, b1, a2, b2] = [recorder('a'), recorder('b'), recorder('a'), recorder('b')];
    const first = dispatcher([a1.subscriber, b1.subscriber], { batchSize: 3 });
    const second = dispatcher([a2.subscriber, b2.subscriber], { batchSize: 3 });
    const delivered = await Promise.all([first.drain(), second.drain()]);

    expect(delivered[0] + delivered[1]).toBe(24);
    const keys = [...a1.seen, ...b1.seen, ...a2.seen, ...b2.seen].map((s) => s.key).sort();
    expect(keys).toEqual(ids.flatMap((id) => [`${id}:a`, `${id}:b`]).sort());
  });

  it('wakes a running dispatcher as soon as an event commits, and stops cleanly', async () => {
    await settle();
    const sub = recorder('a');
    const d = dispatcher([sub.subscriber], { pollMs: 60_000 });
    d.start();
    const unlisten = await t.database.listen(OUTBOX_CHANNEL, () => d.nudge());
    try {
      await sleep(50); // the loop is now waiting on its 60 s poll
      const eventId = await t.database.db.transaction((tx) => recordEvent(tx, deletedEvent()));
      const started = Date.now();
      while (sub.seen.length === 0 && Date.now() - started < 5000) await sleep(20);
      expect(sub.seen.map((s) => s.eventId)).toEqual([eventId]);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await unlisten();
      await d.stop();
    }
  });

  it('keeps running when a handler throws something that is not an Error', async () => {
    await settle();
    const d = dispatcher([
      {
        name: 'a',
        deliver: () => Promise.reject('plain string'),
      },
    ]);
    await t.database.db.transaction((tx) => recordEvent(tx, deletedEvent()));
    expect(await d.drain()).toBe(0);
    const rows = await t.database.db
      .select()
      .from(outboxDeliveries)
      .where(eq(outboxDeliveries.state, 'pending'));
    expect(rows.map((r) => r.lastError)).toEqual(['plain string']);
  });

  describe('writers', () => {
    /** Outbox events about one video, oldest first. */
    const eventsOf = async (videoId: string) =>
      (await t.database.db.select().from(outboxEvents).orderBy(outboxEvents.seq))
        .filter((r) => (r.payload as { videoId?: string }).videoId === videoId)
        .map((r) => ({ type: r.type, payload: r.payload }));

    it('records video.updated, video.privacy_changed and video.deleted with the change', async () => {
      const owner = await t.signUp('outbox');
      const channel = await t.call('POST', '/api/v1/channels', {
        token: owner.token,
        body: { handle: `ob_${owner.userId.slice(0, 6)}`, displayName: 'Outbox' },
      });
      const channelId = channel.body.id as string;
      const created = await t.call('POST', '/api/v1/videos', {
        token: owner.token,
        body: { channelId, title: 'before' },
      });
      const videoId = created.body.video.id as string;
      const ref = { videoId, channelId };
      const patch = (body: unknown) =>
        t.call('PATCH', `/api/v1/videos/${videoId}`, { token: owner.token, body });

      expect((await patch({ title: 'after', description: 'new words' })).status).toBe(200);
      expect((await patch({ title: 'after' })).status).toBe(200); // no change, no event
      expect((await patch({ privacy: 'unlisted' })).status).toBe(200);
      expect((await patch({ privacy: 'password', password: 'secret words' })).status).toBe(200);
      expect((await patch({ password: 'other secret' })).status).toBe(200);
      expect((await t.call('DELETE', `/api/v1/videos/${videoId}`, { token: owner.token })).status).toBe(204);

      expect(await eventsOf(videoId)).toEqual([
        { type: 'video.updated', payload: { ...ref, privacy: 'public', changed: ['title', 'description'] } },
        { type: 'video.privacy_changed', payload: { ...ref, from: 'public', to: 'unlisted' } },
        { type: 'video.privacy_changed', payload: { ...ref, from: 'unlisted', to: 'password' } },
        { type: 'video.updated', payload: { ...ref, privacy: 'password', changed: ['password'] } },
        { type: 'video.deleted', payload: ref },
      ]);
    });

    it('records nothing when the change is refused', async () => {
      const owner = await t.signUp('outbox');
      const stranger = await t.signUp('stranger');
      const channel = await t.call('POST', '/api/v1/channels', {
        token: owner.token,
        body: { handle: `oc_${owner.userId.slice(0, 6)}`, displayName: 'Outbox' },
      });
      const created = await t.call('POST', '/api/v1/videos', {
        token: owner.token,
        body: { channelId: channel.body.id, title: 'mine' },
      });
      const videoId = created.body.video.id as string;
      const res = await t.call('PATCH', `/api/v1/videos/${videoId}`, {
        token: stranger.token,
        body: { title: 'theirs' },
      });
      expect(res.status).toBe(403);
      expect((await t.call('DELETE', `/api/v1/videos/${videoId}`, { token: stranger.token })).status).toBe(
        403,
      );
      expect(await eventsOf(videoId)).toEqual([]);
    });
  });
});
