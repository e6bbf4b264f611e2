import type { NotificationKind } from '../../../../protocol/api/notifications.js';
import type { DomainEvent, DomainEventType } from '../../../../protocol/events.js';
import type { Privacy } from '../../../../protocol/video.js';

/** Privacy levels announced to subscribers: those any signed-in user finds in listings. */
export const ANNOUNCED_PRIVACIES: readonly Privacy[] = ['public', 'internal'];
const announced = (privacy: Privacy) => ANNOUNCED_PRIVACIES.includes(privacy);

/** The events notifications are made from. */
export const NOTIFYING_EVENTS = [
  'video.published',
  'video.privacy_changed',
  'video.failed',
  'live.started',
  'comment.created',
] as const satisfies readonly DomainEventType[];

/** Who a notice goes to: the owner of the channel, its subscribers (a fan-out), or one user. */
export type Recipients = { owner: true } | { subscribers: true } | { userId: string };

/** What a notice points at. */
export interface NoticeRefs {
  channelId: string;
  videoId?: string;
  commentId?: number;
  threadId?: number;
  actorId?: string;
}

export interface NoticePlan {
  kind: NotificationKind;
  to: Recipients;
  refs: NoticeRefs;
}

/**
 * The notices an event makes, most specific first: a user gets at most one notice per event
 * (the first plan that reaches them wins, see `deliverNotices`), so the owner of a video who is
 * also the replied-to author is told of the reply. Pure: every event x case is unit-tested.
 * Subscriber fan-outs re-check the video when they run (still announced, playable, not announced
 * to that subscriber before), so this only decides who may care.
 */
export function planNotices(event: DomainEvent): NoticePlan[] {
  switch (event.type) {
    case 'video.published': {
      const p = event.payload;
      if (p.republished) return [];
      const refs = { channelId: p.channelId, videoId: p.videoId };
      const plans: NoticePlan[] = [{ kind: 'my_video_published', to: { owner: true }, refs }];
      if (announced(p.privacy)) {
        plans.push({ kind: 'new_video_from_subscription', to: { subscribers: true }, refs });
      }
      return plans;
    }
    case 'video.privacy_changed': {
      // A video made public (or internal) after it was published is new to the subscribers then.
      const p = event.payload;
      if (!announced(p.to) || announced(p.from)) return [];
      const refs = { channelId: p.channelId, videoId: p.videoId };
      return [{ kind: 'new_video_from_subscription', to: { subscribers: true }, refs }];
    }
    case 'video.failed': {
      const refs = { channelId: event.payload.channelId, videoId: event.payload.videoId };
      return [{ kind: 'my_video_failed', to: { owner: true }, refs }];
    }
    case 'live.started': {
      const refs = { channelId: event.payload.channelId, videoId: event.payload.videoId };
      return [
        { kind: 'my_live_started', to: { owner: true }, refs },
        { kind: 'new_live_from_subscription', to: { subscribers: true }, refs },
      ];
    }
    case 'comment.created': {
      const p = event.payload;
      if (!p.visible) return [];
      const refs = {
        channelId: p.channelId,
        videoId: p.videoId,
        commentId: p.commentId,
        threadId: p.threadId,
        actorId: p.authorId,
      };
      const plans: NoticePlan[] = [];
      if (p.inReplyToAuthorId && p.inReplyToAuthorId !== p.authorId) {
        plans.push({ kind: 'reply_to_my_comment', to: { userId: p.inReplyToAuthorId }, refs });
      }
      if (p.videoOwnerId !== p.authorId) {
        plans.push({ kind: 'new_comment_on_my_video', to: { userId: p.videoOwnerId }, refs });
      }
      return plans;
    }
    default:
      return [];
  }
}
