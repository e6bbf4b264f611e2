import { describe, expect, expectTypeOf, it } from 'vitest';
import { toJSONSchema } from 'zod';
import type * as z from 'zod/mini';
import {
  type NotificationDto,
  NotificationPageSchema,
  NotificationSchema,
  NotificationSettingsSchema,
  UnreadCountSchema,
} from './notifications.js';
import { type VideoRatingDto, VideoRatingSchema } from './reactions.js';
import {
  NotificationMiniSchema,
  NotificationPageMiniSchema,
  NotificationSettingsMiniSchema,
  SubscriptionExistMiniSchema,
  SubscriptionFeedPageMiniSchema,
  UnreadCountMiniSchema,
  VideoRatingMiniSchema,
} from './social-mini.js';
import { SubscriptionExistSchema, SubscriptionFeedPageSchema } from './subscriptions.js';

const notice: NotificationDto = {
  id: 12,
  type: 11,
  kind: 'reply_to_my_comment',
  read: false,
  comment: {
    id: 7,
    threadId: 5,
    account: { name: 'grace', displayName: 'grace' },
    video: {
      uuid: '0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90',
      name: 'Cats',
      channel: { name: 'studio', displayName: 'Studio' },
    },
  },
  account: { name: 'grace', displayName: 'grace' },
  createdAt: '2025-01-02T03:04:05.678Z',
};

describe('social API contracts', () => {
  it('the zod/mini twins the edge parses with describe exactly what the origin publishes', () => {
    for (const [mini, original] of [
      [VideoRatingMiniSchema, VideoRatingSchema],
      [SubscriptionExistMiniSchema, SubscriptionExistSchema],
      [SubscriptionFeedPageMiniSchema, SubscriptionFeedPageSchema],
      [NotificationMiniSchema, NotificationSchema],
      [NotificationPageMiniSchema, NotificationPageSchema],
      [UnreadCountMiniSchema, UnreadCountSchema],
      [NotificationSettingsMiniSchema, NotificationSettingsSchema],
    ] as const) {
      expect(toJSONSchema(mini)).toEqual(toJSONSchema(original));
    }
    expectTypeOf<z.output<typeof NotificationMiniSchema>>().toEqualTypeOf<NotificationDto>();
    expectTypeOf<z.output<typeof VideoRatingMiniSchema>>().toEqualTypeOf<VideoRatingDto>();
  });

  it('both accept what the origin sends and refuse what breaks the contract', () => {
    for (const schema of [NotificationSchema, NotificationMiniSchema]) {
      expect(schema.safeParse(notice).data).toEqual(notice);
      expect(schema.safeParse({ ...notice, id: '12' }).success).toBe(false);
      expect(schema.safeParse({ ...notice, kind: 'new_follower' }).success).toBe(false);
    }
    for (const schema of [VideoRatingSchema, VideoRatingMiniSchema]) {
      expect(schema.safeParse({ videoId: notice.comment?.video?.uuid, rating: 'like' }).success).toBe(true);
      expect(schema.safeParse({ videoId: notice.comment?.video?.uuid, rating: 'love' }).success).toBe(false);
    }
    for (const schema of [NotificationPageSchema, NotificationPageMiniSchema]) {
      expect(schema.safeParse({ total: 1, data: [notice], nextCursor: null }).success).toBe(true);
      expect(schema.safeParse({ data: [notice], nextCursor: null }).success).toBe(false);
    }
  });
});
