// Social enumerations as plain constants (no zod), so the edge's pages and the zod/mini twins use
// them without bundling classic zod; `api/notifications.ts` and `api/reactions.ts` build on them.

/** PeerTube's `UserVideoRateType`; `none` takes a reaction back. */
export const VIDEO_RATINGS = ['like', 'dislike', 'none'] as const;

/**
 * The notification kinds, each with PeerTube's integer `type` and the PeerTube setting that turns
 * it on or off. PeerTube has no "my video failed" or "my live started": failure shares the import
 * outcome's type and setting (8, `myVideoImportFinished`), and "my live started" is ours (type 100,
 * setting `myLiveStarted`). A subscription's live uses PeerTube's 21 under `newVideoFromSubscription`.
 */
export const NOTIFICATION_KINDS = {
  new_video_from_subscription: { type: 1, setting: 'newVideoFromSubscription' },
  new_comment_on_my_video: { type: 2, setting: 'newCommentOnMyVideo' },
  my_video_published: { type: 6, setting: 'myVideoPublished' },
  my_video_failed: { type: 8, setting: 'myVideoImportFinished' },
  reply_to_my_comment: { type: 11, setting: 'commentMention' },
  new_live_from_subscription: { type: 21, setting: 'newVideoFromSubscription' },
  my_live_started: { type: 100, setting: 'myLiveStarted' },
} as const;
export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
export const NOTIFICATION_KIND_NAMES = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];

export const NOTIFICATION_SETTING_NAMES = [
  'newVideoFromSubscription',
  'newCommentOnMyVideo',
  'commentMention',
  'myVideoPublished',
  'myVideoImportFinished',
  'myLiveStarted',
] as const;
export type NotificationSettingName = (typeof NOTIFICATION_SETTING_NAMES)[number];

/** PeerTube's `UserNotificationSettingValue` bit field: 0 none, 1 web, 2 email, 3 both. */
export const NOTIFY_WEB = 1;
export const NOTIFY_EMAIL = 2;
export const DEFAULT_NOTIFICATION_SETTING = NOTIFY_WEB;
