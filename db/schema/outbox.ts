import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * The transactional outbox: one row per domain event (`protocol/events.ts`), inserted in the same
 * transaction as the change it reports, so an event exists if and only if its change committed.
 * `fanned_out_at` is set once the dispatcher created a delivery per subscriber.
 */
export const outboxEvents = pgTable(
  'outbox_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Insertion order (not commit order): subscribers get events roughly as they happened. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    fannedOutAt: timestamp('fanned_out_at', { withTimezone: true }),
  },
  (t) => [index('outbox_events_pending_idx').on(t.seq).where(sql`${t.fannedOutAt} is null`)],
);

export const outboxDeliveryStateEnum = pgEnum('outbox_delivery_state', ['pending', 'delivered']);

/**
 * One event's delivery to one subscriber. (event_id, subscriber) is the idempotency key handed to
 * the handler. A claimed delivery has `next_attempt_at` pushed out by the claim lease, so another
 * dispatcher skips it; a failure pushes it out by the backoff instead.
 */
export const outboxDeliveries = pgTable(
  'outbox_deliveries',
  {
    eventId: uuid('event_id')
      .notNull()
      .references(() => outboxEvents.id, { onDelete: 'cascade' }),
    subscriber: text('subscriber').notNull(),
    state: outboxDeliveryStateEnum('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.subscriber] }),
    index('outbox_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
  ],
);
