import { eq } from 'drizzle-orm';
import type { Database } from '../../../../db/client.js';
import { channels, users, videoComments, videos } from '../../../../db/schema/index.js';
import { AP_PATHS, absolute } from '../../../../protocol/activitypub/paths.js';
import {
  buildRatingActivity,
  buildRemoteCommentCreate,
  buildUndo,
} from '../../../../protocol/activitypub/social-activities.js';
import type { Logger } from '../../lib/logger.js';
import type { OutboxSubscriber } from '../outbox/dispatcher.js';
import { userIdentifier } from './actors.js';
import { queueDeliveries } from './deliver.js';

/**
 * What local users do to remote videos reaches the video's instance (issue 14): a comment is a
 * `Create(Note)`, a like or dislike a `Like`/`Dislike`, taking one back an `Undo`, each signed by
 * the user's Person and queued to the channel's (shared) inbox like any delivery. Remote users'
 * own comments and likes, which record the same events, are never sent back.
 */
export function remoteInteractionsSubscriber(
  db: Database,
  logger: Logger,
  publicUrl: string | undefined,
): OutboxSubscriber {
  return {
    name: 'federation-remote',
    types: ['comment.created', 'like.created', 'like.removed', 'dislike.created', 'dislike.removed'],
    async deliver(event, meta) {
      if (!publicUrl) return;
      const payload = event.payload as {
        videoId: string;
        userId?: string;
        authorId?: string;
        commentId?: number;
      };
      const userId = payload.userId ?? payload.authorId;
      if (!userId) return;
      const [row] = await db
        .select({ video: videos, inbox: channels.remoteInbox, user: users })
        .from(videos)
        .innerJoin(channels, eq(channels.id, videos.channelId))
        .innerJoin(users, eq(users.id, userId))
        .where(eq(videos.id, payload.videoId));
      if (!row?.video.remoteUrl || !row.inbox || row.user.remoteActorId) return;
      const identifier = userIdentifier(row.user.username);
      const actor = absolute(publicUrl, AP_PATHS.account(row.user.username));
      const sender = { actor, followers: `${actor}/followers` };
      const videoUrl = row.video.remoteUrl;
      let activity: { id: string } & Record<string, unknown>;
      if (event.type === 'comment.created') {
        if (!event.payload.visible) return;
        const [comment] = await db
          .select()
          .from(videoComments)
          .where(eq(videoComments.id, event.payload.commentId));
        if (!comment) return;
        const [parent] = comment.inReplyToId
          ? await db.select().from(videoComments).where(eq(videoComments.id, comment.inReplyToId))
          : [];
        activity = buildRemoteCommentCreate({
          noteId: absolute(publicUrl, AP_PATHS.comment(row.video.id, comment.id)),
          sender,
          videoUrl,
          inReplyTo: parent
            ? (parent.remoteId ?? absolute(publicUrl, AP_PATHS.comment(row.video.id, parent.id)))
            : undefined,
          html: comment.html,
          publishedAt: comment.createdAt,
        });
      } else {
        const type = event.type.startsWith('like.') ? 'Like' : 'Dislike';
        const rating = buildRatingActivity(type, {
          id: `${actor}/${type.toLowerCase()}s/${row.video.id}/${encodeURIComponent(meta.idempotencyKey)}`,
          sender,
          videoUrl,
        });
        activity = event.type.endsWith('.removed')
          ? buildUndo({ id: `${rating.id}/undo`, sender, object: rating })
          : rating;
      }
      await queueDeliveries(db, { identifier }, activity, [row.inbox]);
      logger.debug({ activity: activity.id, inbox: row.inbox }, 'federation: queued to a remote video');
    },
  };
}
