// The zod/mini twins of the social response schemas the edge's pages read (`reactions.ts`,
// `subscriptions.ts`, `notifications.ts`); `social-mini.test.ts` holds each to the JSON Schema of
// its original (docs/adr/0007-zod-mini-twins.md).
import * as z from 'zod/mini';
import {
  NOTIFICATION_KIND_NAMES,
  NOTIFICATION_SETTING_NAMES,
  type NotificationKind,
  type NotificationSettingName,
  VIDEO_RATINGS,
} from '../social-enums.js';
import { VideoMiniSchema } from './videos-mini.js';

/** Twin of `VideoRatingSchema`. */
export const VideoRatingMiniSchema = z
  .object({ videoId: z.uuid(), rating: z.enum(VIDEO_RATINGS) })
  .check(z.meta({ id: 'VideoRating' }));

/** Twin of `SubscriptionExistSchema`. */
export const SubscriptionExistMiniSchema = z.record(z.string(), z.boolean());

const pageOfMini = <T extends z.ZodMiniType>(item: T) =>
  z.object({
    total: z.int().check(z.minimum(0), z.describe('How many items the caller may see in the whole list')),
    data: z.array(item),
    nextCursor: z
      .nullable(z.string())
      .check(z.describe('Pass as `cursor` for the next page; null at the end')),
  });

/** Twin of `SubscriptionFeedPageSchema`. */
export const SubscriptionFeedPageMiniSchema = pageOfMini(VideoMiniSchema);

const ChannelRefMini = z.object({ name: z.string(), displayName: z.string() });
const VideoRefMini = z.object({ uuid: z.uuid(), name: z.string(), channel: ChannelRefMini });
const AccountRefMini = z.object({ name: z.string(), displayName: z.string() });

/** Twin of `NotificationSchema`. */
export const NotificationMiniSchema = z
  .object({
    id: z.int().check(z.positive()),
    type: z.int().check(z.describe("PeerTube's UserNotificationType")),
    kind: z.enum(NOTIFICATION_KIND_NAMES as [NotificationKind, ...NotificationKind[]]),
    read: z.boolean(),
    video: z.optional(VideoRefMini),
    comment: z.optional(
      z.object({
        id: z.int().check(z.positive()),
        threadId: z.int().check(z.positive()),
        account: z.optional(AccountRefMini),
        video: z.optional(VideoRefMini),
      }),
    ),
    account: z.optional(AccountRefMini).check(z.describe('Who caused it, when someone did')),
    createdAt: z.iso.datetime(),
  })
  .check(z.meta({ id: 'Notification' }));

/** Twin of `NotificationPageSchema`. */
export const NotificationPageMiniSchema = pageOfMini(NotificationMiniSchema);

/** Twin of `UnreadCountSchema`. */
export const UnreadCountMiniSchema = z.object({ unread: z.int().check(z.minimum(0)) });

const SettingValueMini = z.int().check(z.minimum(0), z.maximum(3));

/** Twin of `NotificationSettingsSchema`. */
export const NotificationSettingsMiniSchema = z
  .object(
    Object.fromEntries(NOTIFICATION_SETTING_NAMES.map((n) => [n, SettingValueMini])) as Record<
      NotificationSettingName,
      typeof SettingValueMini
    >,
  )
  .check(z.meta({ id: 'NotificationSettings' }));
