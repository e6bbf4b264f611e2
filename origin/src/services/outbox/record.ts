import { sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { outboxEvents } from '../../../../db/schema/index.js';
import { type DomainEvent, DomainEventSchema } from '../../../../protocol/events.js';

/** `NOTIFY` channel that wakes dispatchers on every origin when an event commits. */
export const OUTBOX_CHANNEL = 'vidra_outbox';

/**
 * Record a domain event in the caller's transaction: it is delivered if and only if that
 * transaction commits. The payload is checked against `protocol/events.ts`, so a writer cannot
 * publish a shape subscribers do not expect. Returns the event id.
 */
export async function recordEvent(tx: Executor, event: DomainEvent): Promise<string> {
  const { type, payload } = DomainEventSchema.parse(event);
  const [row] = await tx.insert(outboxEvents).values({ type, payload }).returning({ id: outboxEvents.id });
  // Postgres holds a notification until commit and drops it on rollback: a wake-up, no more.
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
  return (row as { id: string }).id;
}
