import { z } from 'zod';
import {
  DEFAULT_NOTIFICATION_SETTING,
  NOTIFICATION_KIND_NAMES,
  NOTIFICATION_KINDS,
  NOTIFICATION_SETTING_NAMES,
  NOTIFY_EMAIL,
  NOTIFY_WEB,
  type NotificationKind,
  type NotificationSettingName,
} from '../social-enums.js';
import { PageQuerySchema, pageOf } from './list.js';

export {
  DEFAULT_NOTIFICATION_SETTING,
  NOTIFICATION_KIND_NAMES,
  NOTIFICATION_KINDS,
  NOTIFICATION_SETTING_NAMES,
  NOTIFY_EMAIL,
  NOTIFY_WEB,
  type NotificationKind,
  type NotificationSettingName,
};

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
