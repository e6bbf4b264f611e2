import { AS_PUBLIC } from './paths.js';

const AS = 'https://www.w3.org/ns/activitystreams';

/** Who does it: a local actor's id and its followers collection. */
export interface ApSender {
  actor: string;
  followers: string;
}

/**
 * `Like` or `Dislike` of a video, as PeerTube sends them: the object is the video's id, addressed
 * to the public and the actor's followers. `id` must be unique per rating given, since receivers
 * drop an id they saw before (a like taken back and given again is a new activity).
 */
export function buildRatingActivity(
  type: 'Like' | 'Dislike',
  input: { id: string; sender: ApSender; videoUrl: string },
) {
  return {
    '@context': AS,
    type,
    id: input.id,
    actor: input.sender.actor,
    object: input.videoUrl,
    to: [AS_PUBLIC],
    cc: [input.sender.followers],
  };
}

/** `Undo` of an activity this sender sent earlier, with that activity embedded. */
export function buildUndo(input: { id: string; sender: ApSender; object: Record<string, unknown> }) {
  const { '@context': _context, ...object } = input.object;
  return {
    '@context': AS,
    type: 'Undo',
    id: input.id,
    actor: input.sender.actor,
    object,
    to: [AS_PUBLIC],
    cc: [input.sender.followers],
  };
}

/**
 * `Create(Note)` of a comment on another instance's video: `inReplyTo` the video (a new thread)
 * or the comment it answers, `context` the video (PeerTube's pointer for replies of replies).
 * `html` is already sanitized.
 */
export function buildRemoteCommentCreate(input: {
  noteId: string;
  sender: ApSender;
  videoUrl: string;
  inReplyTo?: string | undefined;
  html: string;
  publishedAt: Date;
}) {
  const audience = { to: [AS_PUBLIC], cc: [input.sender.followers] };
  return {
    '@context': AS,
    type: 'Create',
    id: `${input.noteId}/activity`,
    actor: input.sender.actor,
    object: {
      type: 'Note',
      id: input.noteId,
      content: input.html,
      mediaType: 'text/html',
      inReplyTo: input.inReplyTo ?? input.videoUrl,
      context: input.videoUrl,
      attributedTo: input.sender.actor,
      published: input.publishedAt.toISOString(),
      url: input.noteId,
      tag: [],
      ...audience,
    },
    ...audience,
  };
}

/** A channel's `Announce` of one of its videos, as PeerTube shares a new video to followers. */
export function buildAnnounce(input: { id: string; sender: ApSender; objectUrl: string; unlisted: boolean }) {
  return {
    '@context': AS,
    type: 'Announce',
    id: input.id,
    actor: input.sender.actor,
    object: input.objectUrl,
    ...(input.unlisted
      ? { to: [input.sender.followers], cc: [AS_PUBLIC] }
      : { to: [AS_PUBLIC], cc: [input.sender.followers] }),
  };
}
