import { and, eq } from 'drizzle-orm';
import { videoComments } from '../../../../db/schema/index.js';
import type { DomainEvent } from '../../../../protocol/events.js';
import { NotFoundError } from '../../lib/errors.js';
import { canManageChannel } from '../channels.js';
import type { ServiceContext } from '../context.js';
import { loadViewableVideo, type VideoViewRequest } from '../videos/read.js';
import type { VideoWithChannel } from '../videos/serialize.js';
import { type CommentReader, type CommentRecord, selectComments, toRecord, visibleTo } from './query.js';

/** A video whose comments the caller may read, and who they are to it. */
export interface CommentScope {
  video: VideoWithChannel;
  reader: CommentReader;
}

/**
 * The video's comments are exactly as visible as the video: the same access check, so a private
 * video's comments answer 404 to others, an unlisted video's are readable by anyone with the link.
 */
export async function openCommentScope(
  ctx: ServiceContext,
  request: VideoViewRequest,
): Promise<CommentScope> {
  const video = await loadViewableVideo(ctx, request);
  const manages = request.viewer !== undefined && canManageChannel(request.viewer, video.channel);
  return { video, reader: { viewer: request.viewer, manages, videoOwnerId: video.channel.ownerId } };
}

/** One comment of the scope's video that its reader may see (tombstones included), or 404. */
export async function loadVisibleComment(
  ctx: ServiceContext,
  scope: CommentScope,
  commentId: number,
): Promise<CommentRecord> {
  const [row] = await selectComments(ctx.db, scope.reader).where(
    and(
      eq(videoComments.id, commentId),
      eq(videoComments.videoId, scope.video.video.id),
      visibleTo(scope.reader),
    ),
  );
  if (!row) throw new NotFoundError('Comment');
  return toRecord(row);
}

export function videoRef(scope: CommentScope) {
  return { videoId: scope.video.video.id, channelId: scope.video.video.channelId };
}

/** The video a comment belongs to, as `comment.created` names it. */
export interface CommentedVideo {
  id: string;
  channelId: string;
  ownerId: string;
}

export function commentedVideo(scope: CommentScope): CommentedVideo {
  const { video, channel } = scope.video;
  return { id: video.id, channelId: video.channelId, ownerId: channel.ownerId };
}

/** `comment.created` for a comment of `video`; `visible` false while it is held. */
export function commentCreated(
  video: CommentedVideo,
  comment: { id: number; threadId: number | null; authorId: string },
  inReplyToAuthorId: string | null,
  visible: boolean,
): DomainEvent {
  return {
    type: 'comment.created',
    payload: {
      videoId: video.id,
      channelId: video.channelId,
      commentId: comment.id,
      threadId: comment.threadId ?? comment.id,
      authorId: comment.authorId,
      inReplyToAuthorId,
      videoOwnerId: video.ownerId,
      visible,
    },
  };
}
