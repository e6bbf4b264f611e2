import { eq, sql } from 'drizzle-orm';
import { notificationSettings } from '../../../../db/schema/index.js';
import {
  DEFAULT_NOTIFICATION_SETTING,
  NOTIFICATION_SETTING_NAMES,
  type NotificationSettings,
  UpdateNotificationSettingsSchema,
} from '../../../../protocol/api/notifications.js';
import type { Viewer } from '../../auth/access-tokens.js';
import type { ServiceContext } from '../context.js';

const DEFAULTS = Object.fromEntries(
  NOTIFICATION_SETTING_NAMES.map((name) => [name, DEFAULT_NOTIFICATION_SETTING]),
) as NotificationSettings;

/** The caller's settings, PeerTube's bit field per setting; the defaults when never changed. */
export async function getNotificationSettings(
  ctx: ServiceContext,
  viewer: Viewer,
): Promise<NotificationSettings> {
  const [row] = await ctx.db
    .select()
    .from(notificationSettings)
    .where(eq(notificationSettings.userId, viewer.userId));
  if (!row) return DEFAULTS;
  return Object.fromEntries(
    NOTIFICATION_SETTING_NAMES.map((name) => [name, row[name]]),
  ) as NotificationSettings;
}

/** Change some settings; the others keep their value. */
export async function updateNotificationSettings(ctx: ServiceContext, viewer: Viewer, body: unknown) {
  const changes = UpdateNotificationSettingsSchema.parse(body);
  await ctx.db
    .insert(notificationSettings)
    .values({ userId: viewer.userId, ...changes })
    .onConflictDoUpdate({
      target: notificationSettings.userId,
      set: { ...changes, updatedAt: sql`now()` },
    });
}
