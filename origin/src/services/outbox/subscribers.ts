import type { Logger } from '../../lib/logger.js';
import type { OutboxSubscriber } from './dispatcher.js';

/** Events that change what a viewer may fetch, so cached playlists and pages must go. */
const CACHE_AFFECTING = [
  'video.published',
  'video.updated',
  'video.privacy_changed',
  'video.deleted',
] as const;

/**
 * Edge cache purge. The edge keys its cache on video id + asset version, so a republish already
 * misses the old copy; privacy changes and deletes are what a purge would speed up. Placeholder:
 * there is no purge API on the edge yet, so it records the purge it would ask for in the log.
 */
export function edgeCachePurgeSubscriber(logger: Logger): OutboxSubscriber {
  return {
    name: 'edge-cache-purge',
    types: CACHE_AFFECTING,
    async deliver(event, meta) {
      if (!('videoId' in event.payload)) return;
      logger.info(
        { videoId: event.payload.videoId, reason: event.type, idempotencyKey: meta.idempotencyKey },
        'edge cache purge requested (no purge API yet)',
      );
    },
  };
}

/** Placeholder until federation (ActivityPub delivery) exists: acknowledges every event. */
export function federationSubscriber(logger: Logger): OutboxSubscriber {
  return {
    name: 'federation',
    async deliver(event, meta) {
      logger.debug(
        { type: event.type, idempotencyKey: meta.idempotencyKey },
        'federation: nothing to send yet',
      );
    },
  };
}

/** Placeholder until notifications exist: acknowledges the events it will turn into notices. */
export function notificationsSubscriber(logger: Logger): OutboxSubscriber {
  return {
    name: 'notifications',
    types: ['video.published', 'comment.created', 'follow.created', 'live.started'],
    async deliver(event, meta) {
      logger.debug(
        { type: event.type, idempotencyKey: meta.idempotencyKey },
        'notifications: nothing to send yet',
      );
    },
  };
}

/** The subscribers an origin runs. */
export function defaultSubscribers(logger: Logger): OutboxSubscriber[] {
  return [edgeCachePurgeSubscriber(logger), federationSubscriber(logger), notificationsSubscriber(logger)];
}
