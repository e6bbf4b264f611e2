import type { MessageQueue, MessageQueueEnqueueOptions, MessageQueueListenOptions } from '@fedify/fedify';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../../../db/client.js';
import { federationQueue } from '../../../../db/schema/index.js';
import { rowsOf } from '../notifications/deliver.js';

/** How long a taken message stays invisible to other workers while its handler runs. */
const LEASE_SECONDS = 120;

/**
 * fedify's MessageQueue on our PostgreSQL: messages are rows, taken `FOR UPDATE SKIP LOCKED` once
 * due (delays are `run_at` in the future) and deleted when handled. A worker that dies mid-handler
 * leaves the row leased; it is taken again after `LEASE_SECONDS`, so nothing is lost on a crash
 * (fedify's inbox idempotence and our inbound log make a second run harmless). Wrap it in
 * `ParallelMessageQueue` for concurrency.
 */
export class PgMessageQueue implements MessageQueue {
  readonly nativeRetrial = false;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly db: Database,
    private readonly pollMs = 250,
  ) {}

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    if (!messages.length) return;
    const delayMs = options?.delay ? options.delay.total('millisecond') : 0;
    const runAt = new Date(Date.now() + Math.max(0, delayMs));
    await this.db.insert(federationQueue).values(messages.map((message) => ({ message, runAt })));
    if (delayMs <= 0) for (const wake of this.waiters) wake();
  }

  async getDepth() {
    const [row] = await this.db
      .select({
        queued: sql<number>`count(*) filter (where ${federationQueue.runAt} <= now())`.mapWith(Number),
        delayed: sql<number>`count(*) filter (where ${federationQueue.runAt} > now())`.mapWith(Number),
      })
      .from(federationQueue);
    return { queued: row?.queued ?? 0, ready: row?.queued ?? 0, delayed: row?.delayed ?? 0 };
  }

  /** Take one due message, leasing it; undefined when none is due. */
  private async take(): Promise<{ id: number; message: unknown } | undefined> {
    const rows = await this.db.execute(sql`
      update federation_queue set run_at = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1
      where id = (select id from federation_queue where run_at <= now() order by run_at, id
                  for update skip locked limit 1)
      returning id, message`);
    const row = rowsOf<{ id: number; message: unknown }>(rows)[0];
    return row ? { id: Number(row.id), message: row.message } : undefined;
  }

  async listen(handler: (message: unknown) => Promise<void> | void, options?: MessageQueueListenOptions) {
    const signal = options?.signal;
    while (!signal?.aborted) {
      const next = await this.take().catch(() => undefined);
      if (next) {
        try {
          await handler(next.message);
        } catch {
          // fedify reports and retries its own failures (by enqueueing again): nothing to add here.
        }
        if (signal?.aborted) return; // shutting down: the lease brings the row back if it was not done
        // A handled row always goes, failed or not, for the reason above.
        await this.db
          .delete(federationQueue)
          .where(eq(federationQueue.id, next.id))
          .catch(() => undefined);
        continue;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, this.pollMs);
        this.waiters.add(done);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }
}
