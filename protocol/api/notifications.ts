import { z } from 'zod';
import { PageQuerySchema, pageOf } from './list.js';

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
const SettingValueSchema = z.number().int().min(0).max(3);

export const NotificationSettingsSchema = z
  .object(
    Object.fromEntries(NOTIFICATION_SETTING_NAMES.map((n) => [n, SettingValueSchema])) as Record<
      NotificationSettingName,
      typeof SettingValueSchema
    >,
  )
  .meta({ id: 'NotificationSettings' });
export type NotificationSettings = z.infer<typeof NotificationSettingsSchema>;
/** `PUT /api/v1/users/me/notification-settings`: any subset; what is left out keeps its value. */
export const UpdateNotificationSettingsSchema = NotificationSettingsSchema.partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one setting');

const ChannelRefSchema = z.object({ name: z.string(), displayName: z.string() });
const VideoRefSchema = z.object({ uuid: z.string().uuid(), name: z.string(), channel: ChannelRefSchema });
const AccountRefSchema = z.object({ name: z.string(), displayName: z.string() });

export const NotificationSchema = z
  .object({
    id: z.number().int().positive(),
    type: z.number().int().describe("PeerTube's UserNotificationType"),
    kind: z.enum(NOTIFICATION_KIND_NAMES as [NotificationKind, ...NotificationKind[]]),
    read: z.boolean(),
    video: VideoRefSchema.optional(),
    comment: z
      .object({
        id: z.number().int().positive(),
        threadId: z.number().int().positive(),
        account: AccountRefSchema.optional(),
        video: VideoRefSchema.optional(),
      })
      .optional(),
    account: AccountRefSchema.optional().describe('Who caused it, when someone did'),
    createdAt: z.string().datetime(),
  })
  .meta({ id: 'Notification' });
export type NotificationDto = z.infer<typeof NotificationSchema>;

export const NotificationListQuerySchema = PageQuerySchema.extend({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
export type NotificationListQuery = z.output<typeof NotificationListQuerySchema>;
export const NotificationPageSchema = pageOf(NotificationSchema);
export const MarkNotificationsReadSchema = z.object({
  ids: z.array(z.number().int().positive()).min(1).max(100),
});
export const UnreadCountSchema = z.object({ unread: z.number().int().min(0) });
