import type { ClientFrame } from '../../../../protocol/chat.js';
import type { ServiceContext } from '../context.js';
import type { ChatBus } from './bus.js';
import { type ChatClient, errorFrame, type Room } from './room.js';
import { liftBan, markDeleted, sanction, setSlowMode } from './store.js';

type ModerationFrame = Exclude<ClientFrame, { type: 'message' }>;

/**
 * A moderation frame from the channel owner, an admin or a named moderator: stored in PostgreSQL
 * (so it outlives reconnects and restarts), then published so that every origin applies it and
 * shows it. The room owner cannot be timed out or banned from their own chat.
 */
export async function moderate(
  ctx: ServiceContext,
  bus: ChatBus,
  room: Room,
  client: ChatClient,
  frame: ModerationFrame,
): Promise<void> {
  const actor = client.viewer;
  if (!actor || !client.canModerate) {
    return client.send(errorFrame('forbidden', 'Only the channel owner and its moderators can do this'));
  }
  const { videoId, channelId, ownerId } = room.info;
  switch (frame.type) {
    case 'delete': {
      if (!(await markDeleted(ctx, videoId, frame.id))) {
        return client.send(errorFrame('not_found', 'No such message in this chat'));
      }
      return bus.publish(videoId, { type: 'delete', id: frame.id });
    }
    case 'timeout':
    case 'ban': {
      if (frame.userId === ownerId || frame.userId === actor.userId) {
        return client.send(
          errorFrame('forbidden', 'The channel owner and you yourself cannot be sanctioned'),
        );
      }
      const until = frame.type === 'ban' ? null : new Date(Date.now() + frame.seconds * 1000);
      await sanction(ctx, { channelId, userId: frame.userId, until, byUserId: actor.userId });
      return bus.publish(
        videoId,
        until === null
          ? { type: 'ban', userId: frame.userId }
          : { type: 'timeout', userId: frame.userId, until: until.toISOString() },
      );
    }
    case 'unban':
      await liftBan(ctx, channelId, frame.userId);
      return bus.publish(videoId, { type: 'unban', userId: frame.userId });
    case 'slow-mode':
      await setSlowMode(ctx, videoId, frame.seconds);
      return bus.publish(videoId, { type: 'slow-mode', seconds: frame.seconds });
  }
}
