import type { Database } from '../../../../db/client.js';
import { buildAnnounce } from '../../../../protocol/activitypub/social-activities.js';
import type { Logger } from '../../lib/logger.js';
import type { OutboxSubscriber } from '../outbox/dispatcher.js';
import { queueToFollowers } from './deliver.js';
import { privacyChangeActivity, videoActivity, videoObjectOf } from './video-activities.js';

/**
 * Local events reach federation here (ADR 0005): a published or updated video becomes a
 * Create/Update to the channel's followers, a move out of public/unlisted or a deletion a Delete.
 * It only queues deliveries (one row per inbox, keyed by activity id, so a redelivered event
 * queues nothing twice); `startDeliveryWorker` posts them.
 */
export function federationSubscriber(
  db: Database,
  logger: Logger,
  publicUrl: string | undefined,
): OutboxSubscriber {
  return {
    name: 'federation',
    types: ['video.published', 'video.updated', 'video.privacy_changed', 'video.deleted'],
    async deliver(event, meta) {
      if (!publicUrl) return;
      let kind: 'Create' | 'Update' | 'Delete' | undefined;
      if (event.type === 'video.published') kind = event.payload.republished ? 'Update' : 'Create';
      else if (event.type === 'video.updated') kind = 'Update';
      else if (event.type === 'video.deleted') kind = 'Delete';
      else if (event.type === 'video.privacy_changed')
        kind = privacyChangeActivity(event.payload.from, event.payload.to);
      if (!kind || !('videoId' in event.payload) || !event.payload.videoId) return;
      const loaded = await videoObjectOf(db, publicUrl, event.payload.videoId);
      if (!loaded) return;
      if (kind !== 'Delete' && !loaded.object) return; // not federated at its current privacy
      const activity = videoActivity(kind, loaded, meta.idempotencyKey);
      const inboxes = await queueToFollowers(db, loaded.sender, activity);
      logger.debug({ activity: activity.id, inboxes }, 'federation: queued');
      // The channel shares its new video too, as PeerTube's channels do (followers of followers see it).
      if (kind === 'Create' && loaded.object) {
        const announce = buildAnnounce({
          id: `${loaded.videoUrl}/announces/${encodeURIComponent(meta.idempotencyKey)}`,
          sender: { actor: loaded.actorUrl, followers: `${loaded.actorUrl}/followers` },
          objectUrl: loaded.videoUrl,
          unlisted: loaded.object.to.includes(`${loaded.actorUrl}/followers`),
        });
        await queueToFollowers(db, loaded.sender, announce);
      }
    },
  };
}
