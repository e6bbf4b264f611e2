import { and, eq, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../../../db/client.js';
import { channels, notifications, users, videos } from '../../../../db/schema/index.js';
import type { NotificationKind } from '../../../../protocol/api/notifications.js';
import type { Logger } from '../../lib/logger.js';
import type { Mailer } from '../mail/mailer.js';
import type { OutboxSubscriber } from '../outbox/dispatcher.js';
import { insertNotices } from './deliver.js';
import { renderNoticeMail } from './mail.js';
import { NOTIFYING_EVENTS, planNotices } from './plan.js';

export interface NotificationsSubscriberOptions {
  db: Database;
  logger: Logger;
  mailer: Mailer;
  publicUrl?: string | undefined;
}

/**
 * Turns events into notices (`planNotices`), stored in one transaction keyed on the delivery's
 * idempotency key, then mails those whose recipients want mail. A mail is marked sent right after
 * it went out, so a delivery retried after a mailer failure mails only who was not mailed yet.
 */
export function notificationsSubscriber(options: NotificationsSubscriberOptions): OutboxSubscriber {
  const { db, logger } = options;
  return {
    name: 'notifications',
    types: NOTIFYING_EVENTS,
    async deliver(event, meta) {
      const plans = planNotices(event);
      if (plans.length === 0) return;
      const added = await db.transaction(async (tx) => {
        let n = 0;
        for (const plan of plans) n += await insertNotices(tx, plan, meta.idempotencyKey);
        return n;
      });
      const mailed = await mailPending(options, meta.idempotencyKey);
      if (added || mailed) {
        logger.info({ type: event.type, added, mailed, idempotencyKey: meta.idempotencyKey }, 'notified');
      }
    },
  };
}

const actors = alias(users, 'actors');

async function mailPending(options: NotificationsSubscriberOptions, dedupeKey: string): Promise<number> {
  const { db, mailer } = options;
  const pending = await db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      to: users.email,
      videoId: videos.id,
      videoTitle: videos.title,
      channelName: channels.displayName,
      actorName: actors.username,
    })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .leftJoin(videos, eq(videos.id, notifications.videoId))
    .leftJoin(channels, eq(channels.id, notifications.channelId))
    .leftJoin(actors, eq(actors.id, notifications.actorId))
    .where(
      and(
        eq(notifications.dedupeKey, dedupeKey),
        eq(notifications.email, true),
        isNull(notifications.emailedAt),
      ),
    );
  for (const row of pending) {
    await mailer.send(
      renderNoticeMail({
        ...row,
        kind: row.kind as NotificationKind,
        publicUrl: options.publicUrl?.replace(/\/+$/, ''),
      }),
    );
    await db.update(notifications).set({ emailedAt: sql`now()` }).where(eq(notifications.id, row.id));
  }
  return pending.length;
}
