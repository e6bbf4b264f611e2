import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Database } from '../../../../db/client.js';
import { outboxDeliveries, outboxEvents } from '../../../../db/schema/index.js';
import type { DomainEvent, DomainEventType } from '../../../../protocol/events.js';
import type { Logger } from '../../lib/logger.js';
import { type BackoffPolicy, DEFAULT_BACKOFF, deliveryBackoffMs } from './backoff.js';

/** An event as a subscriber receives it. */
export type OutboxEvent = DomainEvent & { id: string; occurredAt: string };

export interface DeliveryMeta {
  /** `<eventId>:<subscriber>`: the same on every attempt, so a handler can drop repeats. */
  idempotencyKey: string;
  /** 1 on the first attempt. */
  attempt: number;
}

/** A named consumer of the outbox. Throwing makes the delivery retry later with backoff. */
export interface OutboxSubscriber {
  name: string;
  /** Event types it wants; all when absent. */
  types?: readonly DomainEventType[];
  deliver(event: OutboxEvent, meta: DeliveryMeta): Promise<void>;
}

export interface OutboxDispatcherOptions {
  db: Database;
  logger: Logger;
  subscribers: readonly OutboxSubscriber[];
  /** Safety-net poll; commits also wake the dispatcher through `nudge()`. */
  pollMs?: number;
  batchSize?: number;
  /** How long a claimed delivery stays invisible to other dispatchers while its handler runs. */
  leaseMs?: number;
  backoff?: BackoffPolicy;
}

export interface OutboxDispatcher {
  /** Deliver everything due now, then return how many deliveries succeeded. */
  drain(): Promise<number>;
  /** Run `drain` in the background, after every `nudge()` and every `pollMs`. */
  start(): void;
  /** Wake the background loop now (an event was committed). */
  nudge(): void;
  /** Stop the loop, waiting for the deliveries in flight. */
  stop(): Promise<void>;
}

interface Claimed {
  eventId: string;
  subscriber: string;
  attempts: number;
  type: string;
  payload: unknown;
  createdAt: Date;
}

// A permanently failing subscriber with a zero backoff must not keep one drain busy forever.
const MAX_ROUNDS_PER_DRAIN = 50;
const interval = (ms: number) => sql`now() + ${`${Math.max(0, Math.round(ms))} milliseconds`}::interval`;

/**
 * Delivers every outbox event at least once to every subscriber. Work is claimed with
 * `FOR UPDATE SKIP LOCKED` and a lease, so any number of origins can run a dispatcher on the same
 * database; a delivery whose dispatcher died is claimed again once its lease runs out. Handlers run
 * outside any transaction, and their errors are recorded, never thrown.
 */
export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  const { db, logger } = options;
  const batchSize = options.batchSize ?? 20;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const subscribers = new Map(options.subscribers.map((s) => [s.name, s]));
  const names = [...subscribers.keys()];

  /** Create the pending deliveries of events nobody fanned out yet. */
  async function fanOut(): Promise<number> {
    return db.transaction(async (tx) => {
      const events = await tx
        .select({ id: outboxEvents.id, type: outboxEvents.type })
        .from(outboxEvents)
        .where(isNull(outboxEvents.fannedOutAt))
        .orderBy(asc(outboxEvents.seq))
        .limit(batchSize)
        .for('update', { skipLocked: true });
      if (events.length === 0) return 0;
      const rows = events.flatMap((event) =>
        options.subscribers
          .filter((s) => !s.types || s.types.includes(event.type as DomainEventType))
          .map((s) => ({ eventId: event.id, subscriber: s.name })),
      );
      if (rows.length) await tx.insert(outboxDeliveries).values(rows).onConflictDoNothing();
      await tx
        .update(outboxEvents)
        .set({ fannedOutAt: sql`now()` })
        .where(
          inArray(
            outboxEvents.id,
            events.map((e) => e.id),
          ),
        );
      return events.length;
    });
  }

  /** Take due deliveries of our subscribers under a lease. */
  async function claim(): Promise<Claimed[]> {
    if (names.length === 0) return [];
    return db.transaction(async (tx) => {
      const due = await tx
        .select({
          eventId: outboxDeliveries.eventId,
          subscriber: outboxDeliveries.subscriber,
          attempts: outboxDeliveries.attempts,
          type: outboxEvents.type,
          payload: outboxEvents.payload,
          createdAt: outboxEvents.createdAt,
        })
        .from(outboxDeliveries)
        .innerJoin(outboxEvents, eq(outboxEvents.id, outboxDeliveries.eventId))
        .where(
          and(
            eq(outboxDeliveries.state, 'pending'),
            lte(outboxDeliveries.nextAttemptAt, sql`now()`),
            inArray(outboxDeliveries.subscriber, names),
          ),
        )
        .orderBy(asc(outboxEvents.seq))
        .limit(batchSize)
        .for('update', { of: outboxDeliveries, skipLocked: true });
      for (const d of due) {
        await tx
          .update(outboxDeliveries)
          .set({ attempts: d.attempts + 1, nextAttemptAt: interval(leaseMs) })
          .where(whereKey(d));
      }
      return due.map((d) => ({ ...d, attempts: d.attempts + 1 }));
    });
  }

  async function deliverOne(d: Claimed): Promise<boolean> {
    const subscriber = subscribers.get(d.subscriber) as OutboxSubscriber;
    const event = {
      id: d.eventId,
      type: d.type,
      payload: d.payload,
      occurredAt: d.createdAt.toISOString(),
    } as OutboxEvent;
    const idempotencyKey = `${d.eventId}:${d.subscriber}`;
    try {
      await subscriber.deliver(event, { idempotencyKey, attempt: d.attempts });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retryMs = deliveryBackoffMs(d.attempts, backoff);
      logger.warn({ idempotencyKey, attempt: d.attempts, retryMs, err: error }, 'outbox delivery failed');
      await db
        .update(outboxDeliveries)
        .set({ lastError: message.slice(0, 1000), nextAttemptAt: interval(retryMs) })
        .where(and(whereKey(d), eq(outboxDeliveries.state, 'pending')));
      return false;
    }
    await db
      .update(outboxDeliveries)
      .set({ state: 'delivered', deliveredAt: sql`now()`, lastError: null })
      .where(and(whereKey(d), eq(outboxDeliveries.state, 'pending')));
    return true;
  }

  async function drain(): Promise<number> {
    while ((await fanOut()) > 0) {}
    let delivered = 0;
    for (let round = 0; round < MAX_ROUNDS_PER_DRAIN; round++) {
      const claimed = await claim();
      if (claimed.length === 0) break;
      const results = await Promise.all(claimed.map(deliverOne));
      delivered += results.filter(Boolean).length;
    }
    return delivered;
  }

  let running = false;
  let loop: Promise<void> | undefined;
  let pending = false;
  let wake: (() => void) | undefined;

  async function run(): Promise<void> {
    const pollMs = options.pollMs ?? 2000;
    while (running) {
      pending = false;
      try {
        await drain();
      } catch (error) {
        logger.error({ err: error }, 'outbox dispatch failed');
      }
      if (!running || pending) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  return {
    drain,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    nudge() {
      pending = true;
      wake?.();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}

function whereKey(d: { eventId: string; subscriber: string }) {
  return and(eq(outboxDeliveries.eventId, d.eventId), eq(outboxDeliveries.subscriber, d.subscriber));
}
