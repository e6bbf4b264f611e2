import type { Database } from '../../../../db/client.js';
import type { DomainEventType } from '../../../../protocol/events.js';
import type { Logger } from '../../lib/logger.js';
import { remoteInteractionsSubscriber } from '../federation/remote-subscriber.js';
import { federationSubscriber } from '../federation/subscriber.js';
import { createConsoleMailer, type Mailer } from '../mail/mailer.js';
import { notificationsSubscriber } from '../notifications/subscriber.js';
import { recordRevocations, videosRevokedBy } from '../playback/revocations.js';
import type { OutboxSubscriber } from './dispatcher.js';

/** Events that can take playback away from viewers who already hold a token. */
const REVOKING = [
  'video.updated',
  'video.privacy_changed',
  'video.deleted',
  'user.suspended',
] as const satisfies readonly DomainEventType[];

/**
 * Edge revocation and cache purge. Turns events that take playback away (delete, a move to a more
 * restrictive privacy, a password change, the owner's suspension) into per-video revocation epochs,
 * which every edge isolate syncs within seconds and enforces on every token and cached file
 * (docs/adr/0004-edge-playback.md). Deduplicated on the delivery's idempotency key.
 */
export function edgeCachePurgeSubscriber(db: Database, logger: Logger): OutboxSubscriber {
  return {
    name: 'edge-cache-purge',
    types: REVOKING,
    async deliver(event, meta) {
      const videoIds = await videosRevokedBy(db, event);
      const added = await recordRevocations(db, {
        eventKey: meta.idempotencyKey,
        reason: event.type,
        videoIds,
      });
      if (videoIds.length) {
        logger.info(
          { reason: event.type, videos: videoIds.length, added, idempotencyKey: meta.idempotencyKey },
          'playback revoked at the edge',
        );
      }
    },
  };
}

/** The subscribers an origin runs; notices are mailed through `mail.mailer` (the console's by default). */
export function defaultSubscribers(
  db: Database,
  logger: Logger,
  mail: { mailer: Mailer; publicUrl?: string | undefined } = { mailer: createConsoleMailer(logger) },
): OutboxSubscriber[] {
  return [
    edgeCachePurgeSubscriber(db, logger),
    federationSubscriber(db, logger, mail.publicUrl),
    remoteInteractionsSubscriber(db, logger, mail.publicUrl),
    notificationsSubscriber({ db, logger, ...mail }),
  ];
}
