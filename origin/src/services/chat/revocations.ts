import type { DomainEventType } from '../../../../protocol/events.js';
import type { ServiceContext } from '../context.js';
import type { OutboxSubscriber } from '../outbox/dispatcher.js';
import { videosRevokedBy } from '../playback/revocations.js';

/** Events after which some viewers may no longer see a video: the same as the edge's revocations. */
const ACCESS_CHANGING = [
  'video.updated',
  'video.privacy_changed',
  'video.deleted',
  'user.suspended',
] as const satisfies readonly DomainEventType[];

/**
 * Closes the chat sockets of viewers who lost a video (made private, deleted, password changed,
 * owner suspended). Delivered once per event, by whichever origin's dispatcher claims it; it
 * publishes `access-changed` into each room's stream, and every origin checks its own sockets.
 */
export function chatAccessSubscriber(ctx: ServiceContext): OutboxSubscriber {
  return {
    name: 'chat-access',
    types: ACCESS_CHANGING,
    async deliver(event) {
      await ctx.chat.accessChanged(await videosRevokedBy(ctx.db, event));
    },
  };
}
