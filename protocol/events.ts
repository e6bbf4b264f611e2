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
export const LikeCreatedEventSchema = event('like.created', { ...VideoRef, userId: Id });
export const FollowCreatedEventSchema = event('follow.created', { channelId: Id, followerId: Id });
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
  UserSuspendedEventSchema,
  UserUnsuspendedEventSchema,
  CommentCreatedEventSchema,
  LikeCreatedEventSchema,
  FollowCreatedEventSchema,
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
  'user.suspended': {
    description: "An admin suspended an account (its sessions end, its videos' playback is revoked).",
    emitted: true,
  },
  'user.unsuspended': { description: 'An admin lifted an account suspension.', emitted: true },
  'comment.created': { description: 'A comment was posted on a video.', emitted: false },
  'like.created': { description: 'A user liked a video.', emitted: false },
  'follow.created': { description: 'A user or remote actor followed a channel.', emitted: false },
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
