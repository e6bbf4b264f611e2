import { z } from 'zod';
import { PLAYLIST_PRIVACY_LEVELS } from './playlist-enums.js';
import { PrivacySchema } from './video.js';

/**
 * Domain events: "this happened", recorded in the transactional outbox in the same transaction as
 * the change they report, then delivered at least once to every subscriber (federation,
 * notifications, edge cache purges). This file is the one place event types are defined;
 * `docs/events.md` mirrors `EVENT_CATALOG` (a test keeps the two in step).
 */

const Id = z.string().uuid();
const VideoRef = { videoId: Id, channelId: Id };

const event = <T extends string, P extends z.ZodRawShape>(type: T, payload: P) =>
  z.object({ type: z.literal(type), payload: z.object(payload) });

export const VideoPublishedEventSchema = event('video.published', {
  ...VideoRef,
  privacy: PrivacySchema,
  /** `preview`: fast first play made it playable; `final`: the full ladder landed. */
  stage: z.enum(['preview', 'final']),
  /** True when the video was already playable and its renditions were replaced. */
  republished: z.boolean(),
  assetVersion: z.number().int(),
});

export const VideoUpdatedEventSchema = event('video.updated', {
  ...VideoRef,
  privacy: PrivacySchema,
  changed: z.array(z.enum(['title', 'description', 'password'])).min(1),
});

export const VideoPrivacyChangedEventSchema = event('video.privacy_changed', {
  ...VideoRef,
  from: PrivacySchema,
  to: PrivacySchema,
});

export const VideoDeletedEventSchema = event('video.deleted', VideoRef);
/** Processing gave up (out of attempts or a file it cannot read); a ready video never fails. */
export const VideoFailedEventSchema = event('video.failed', { ...VideoRef, reason: z.string() });

/** An admin suspended an account: its sessions end and its videos stop playing everywhere. */
export const UserSuspendedEventSchema = event('user.suspended', { userId: Id, actorId: Id });
/** An admin lifted a suspension: sign-in and new playback tokens work again (old ones stay revoked). */
export const UserUnsuspendedEventSchema = event('user.unsuspended', { userId: Id, actorId: Id });

// Declared now so subscribers can be written against them; nothing records them yet.
/** Comment ids are integers, like PeerTube's (ADR 0015). */
export const CommentCreatedEventSchema = event('comment.created', {
  ...VideoRef,
  commentId: z.number().int().positive(),
  threadId: z.number().int().positive(),
  authorId: Id,
  /** The author of the comment this one replies to; null for a new thread. */
  inReplyToAuthorId: Id.nullable(),
  /** The user who owns the video's channel. */
  videoOwnerId: Id,
  /** False while the comment is held for the owner's approval: nobody is told yet. */
  visible: z.boolean(),
});
/** A comment was deleted (by its author, the video's owner, an admin, or a moderated report). */
export const CommentDeletedEventSchema = event('comment.deleted', {
  ...VideoRef,
  commentId: z.number().int().positive(),
  threadId: z.number().int().positive(),
  authorId: Id,
  /** Who deleted it: the author, the video's owner or an admin. */
  deletedBy: Id,
});
/** A user reported a video, a comment or an account; exactly one of the three ids is set. */
export const AbuseCreatedEventSchema = event('abuse.created', {
  abuseId: z.number().int().positive(),
  reporterId: Id,
  target: z.enum(['video', 'comment', 'account']),
  videoId: Id.nullable(),
  commentId: z.number().int().positive().nullable(),
  accountId: Id.nullable(),
});
export const LikeCreatedEventSchema = event('like.created', { ...VideoRef, userId: Id });
export const LikeRemovedEventSchema = event('like.removed', { ...VideoRef, userId: Id });
export const DislikeCreatedEventSchema = event('dislike.created', { ...VideoRef, userId: Id });
export const DislikeRemovedEventSchema = event('dislike.removed', { ...VideoRef, userId: Id });
export const FollowCreatedEventSchema = event('follow.created', { channelId: Id, followerId: Id });
export const FollowRemovedEventSchema = event('follow.removed', { channelId: Id, followerId: Id });
/** `streamId` is the live session's id (`LiveAuthorizeResult.sessionId`). */
export const LiveStartedEventSchema = event('live.started', { ...VideoRef, streamId: Id });
export const LiveEndedEventSchema = event('live.ended', { ...VideoRef, streamId: Id });

/** Playlists (ADR 0015): `ownerId` is the user who owns it, `privacy` its level after the change. */
const PlaylistRef = { playlistId: Id, ownerId: Id, privacy: z.enum(PLAYLIST_PRIVACY_LEVELS) };
export const PlaylistCreatedEventSchema = event('playlist.created', PlaylistRef);
export const PlaylistUpdatedEventSchema = event('playlist.updated', {
  ...PlaylistRef,
  changed: z.array(z.enum(['displayName', 'description', 'privacy', 'order', 'timestamps'])).min(1),
});
export const PlaylistDeletedEventSchema = event('playlist.deleted', PlaylistRef);
const PlaylistElementRef = { ...PlaylistRef, elementId: z.number().int().positive(), videoId: Id };
export const PlaylistVideoAddedEventSchema = event('playlist.video_added', PlaylistElementRef);
export const PlaylistVideoRemovedEventSchema = event('playlist.video_removed', PlaylistElementRef);

/** Any domain event, discriminated on `type`. */
export const DomainEventSchema = z.discriminatedUnion('type', [
  VideoPublishedEventSchema,
  VideoUpdatedEventSchema,
  VideoPrivacyChangedEventSchema,
  VideoDeletedEventSchema,
  VideoFailedEventSchema,
  UserSuspendedEventSchema,
  UserUnsuspendedEventSchema,
  CommentCreatedEventSchema,
  CommentDeletedEventSchema,
  AbuseCreatedEventSchema,
  LikeCreatedEventSchema,
  LikeRemovedEventSchema,
  DislikeCreatedEventSchema,
  DislikeRemovedEventSchema,
  FollowCreatedEventSchema,
  FollowRemovedEventSchema,
  LiveStartedEventSchema,
  LiveEndedEventSchema,
  PlaylistCreatedEventSchema,
  PlaylistUpdatedEventSchema,
  PlaylistDeletedEventSchema,
  PlaylistVideoAddedEventSchema,
  PlaylistVideoRemovedEventSchema,
]);
export type DomainEvent = z.infer<typeof DomainEventSchema>;
export type DomainEventType = DomainEvent['type'];
export type EventPayload<T extends DomainEventType> = Extract<DomainEvent, { type: T }>['payload'];

/** What each event means, and whether anything records it yet. `docs/events.md` lists the same. */
export const EVENT_CATALOG: Record<DomainEventType, { description: string; emitted: boolean }> = {
  'video.published': {
    description: 'A video became playable (preview), or its full ladder landed (final; may republish).',
    emitted: true,
  },
  'video.updated': { description: 'Title, description or viewing password changed.', emitted: true },
  'video.privacy_changed': { description: 'Privacy level changed (from, to).', emitted: true },
  'video.deleted': { description: 'A video was deleted.', emitted: true },
  'video.failed': {
    description: 'Processing gave up on a video that never became playable (`reason` in words).',
    emitted: true,
  },
  'user.suspended': {
    description: "An admin suspended an account (its sessions end, its videos' playback is revoked).",
    emitted: true,
  },
  'user.unsuspended': { description: 'An admin lifted an account suspension.', emitted: true },
  'comment.created': {
    description:
      'A comment was posted on a video, or a held one approved (`visible` says if anyone may see it).',
    emitted: true,
  },
  'comment.deleted': { description: 'A comment was deleted (it stays as a tombstone).', emitted: true },
  'abuse.created': { description: 'A user reported a video, a comment or an account.', emitted: true },
  'like.created': { description: 'A user liked a video (also when a dislike became a like).', emitted: true },
  'like.removed': {
    description: 'A user took back a like (rated none, or disliked instead).',
    emitted: true,
  },
  'dislike.created': { description: 'A user disliked a video.', emitted: true },
  'dislike.removed': { description: 'A user took back a dislike.', emitted: true },
  'follow.created': { description: 'A user or remote actor followed a channel.', emitted: true },
  'follow.removed': { description: 'A user unsubscribed from a channel.', emitted: true },
  'live.started': {
    description: 'A live session went on air (`streamId` is the session id; a resume records nothing).',
    emitted: true,
  },
  'live.ended': {
    description: 'A live session ended: its reconnect window passed without the encoder coming back.',
    emitted: true,
  },
  'playlist.created': { description: 'A user created a playlist (watch later included).', emitted: true },
  'playlist.updated': {
    description:
      'Name, description or privacy of a playlist changed, or its elements were reordered or trimmed.',
    emitted: true,
  },
  'playlist.deleted': { description: 'A playlist was deleted.', emitted: true },
  'playlist.video_added': { description: 'A video was added to a playlist.', emitted: true },
  'playlist.video_removed': { description: 'A video was removed from a playlist.', emitted: true },
};

export const DOMAIN_EVENT_TYPES = Object.keys(EVENT_CATALOG) as DomainEventType[];
