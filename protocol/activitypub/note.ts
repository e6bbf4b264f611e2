import type { Privacy } from '../video.js';
import { audienceFor } from './audience.js';
import { AP_CONTEXT } from './context.js';
import { AP_PATHS, absolute } from './paths.js';

export interface CommentNoteInput {
  baseUrl: string;
  videoUuid: string;
  commentId: number;
  /** Already sanitized HTML (the comment service renders it). */
  html: string;
  /** Absolute id of the author (a local Person, or a remote actor's id). */
  authorUrl: string;
  /** Absolute id of the parent comment; the video for a new thread. */
  inReplyTo?: string | undefined;
  /** The video's channel, whose followers are cc'd. */
  channelHandle: string;
  privacy: Privacy;
  publishedAt: Date;
  updatedAt: Date;
}

/** A comment as a `Note` in reply to the video (or to its parent comment), PeerTube's shape. */
export function buildCommentNote(input: CommentNoteInput) {
  const at = (path: string) => absolute(input.baseUrl, path);
  const videoUrl = at(AP_PATHS.video(input.videoUuid));
  const audience = audienceFor(input.privacy, `${at(AP_PATHS.channel(input.channelHandle))}/followers`);
  if (!audience) return undefined;
  return {
    '@context': AP_CONTEXT,
    type: 'Note' as const,
    id: at(AP_PATHS.comment(input.videoUuid, input.commentId)),
    content: input.html,
    mediaType: 'text/html',
    inReplyTo: input.inReplyTo ?? videoUrl,
    /** PeerTube's pointer at the video a reply of a reply belongs to. */
    context: videoUrl,
    attributedTo: input.authorUrl,
    published: input.publishedAt.toISOString(),
    updated: input.updatedAt.toISOString(),
    url: at(AP_PATHS.comment(input.videoUuid, input.commentId)),
    tag: [],
    ...audience,
  };
}
