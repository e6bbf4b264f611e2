import { createRoute } from '@hono/zod-openapi';
import {
  MarkNotificationsReadSchema,
  NotificationListQuerySchema,
  NotificationPageSchema,
  NotificationSettingsSchema,
  UnreadCountSchema,
  UpdateNotificationSettingsSchema,
} from '../../../protocol/api/notifications.js';
import { requireViewer } from '../auth/middleware.js';
import { bearerSecurity, createRouter, errorResponses } from '../lib/http.js';
import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationsRead,
  unreadNotificationCount,
} from '../services/notifications/read.js';
import { getNotificationSettings, updateNotificationSettings } from '../services/notifications/settings.js';

const BASE = '/api/v1/users/me/notifications';
const tags = ['notifications'];
const body = <T>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });

const listRoute = createRoute({
  method: 'get',
  path: BASE,
  tags,
  summary: "The caller's notifications, newest first (`unread=true` for the unread ones)",
  security: bearerSecurity,
  request: { query: NotificationListQuerySchema },
  responses: {
    200: { description: 'A page', content: { 'application/json': { schema: NotificationPageSchema } } },
    ...errorResponses(400, 401),
  },
});

const readRoute = createRoute({
  method: 'post',
  path: `${BASE}/read`,
  tags,
  summary: 'Mark notifications read',
  security: bearerSecurity,
  request: { body: body(MarkNotificationsReadSchema) },
  responses: { 204: { description: 'Marked' }, ...errorResponses(400, 401) },
});

const readAllRoute = createRoute({
  method: 'post',
  path: `${BASE}/read-all`,
  tags,
  summary: 'Mark every notification read',
  security: bearerSecurity,
  responses: { 204: { description: 'Marked' }, ...errorResponses(401) },
});

const unreadCountRoute = createRoute({
  method: 'get',
  path: `${BASE}/unread-count`,
  tags,
  summary: 'How many notifications are unread (the header bell)',
  security: bearerSecurity,
  responses: {
    200: { description: 'The count', content: { 'application/json': { schema: UnreadCountSchema } } },
    ...errorResponses(401),
  },
});

const getSettingsRoute = createRoute({
  method: 'get',
  path: '/api/v1/users/me/notification-settings',
  tags,
  summary: 'How each kind of notification arrives: a bit field, 1 in the app, 2 by email',
  security: bearerSecurity,
  responses: {
    200: { description: 'Settings', content: { 'application/json': { schema: NotificationSettingsSchema } } },
    ...errorResponses(401),
  },
});

const putSettingsRoute = createRoute({
  method: 'put',
  path: '/api/v1/users/me/notification-settings',
  tags,
  summary: 'Change how some kinds of notification arrive; the others keep their setting',
  security: bearerSecurity,
  request: { body: body(UpdateNotificationSettingsSchema) },
  responses: { 204: { description: 'Changed' }, ...errorResponses(400, 401) },
});

/** The signed-in user's notifications and their settings (PeerTube's paths, plus the unread count). */
export function notificationRoutes() {
  return createRouter()
    .openapi(listRoute, async (c) =>
      c.json(await listNotifications(c.get('services'), requireViewer(c), c.req.valid('query')), 200),
    )
    .openapi(readRoute, async (c) => {
      await markNotificationsRead(c.get('services'), requireViewer(c), c.req.valid('json'));
      return c.body(null, 204);
    })
    .openapi(readAllRoute, async (c) => {
      await markAllNotificationsRead(c.get('services'), requireViewer(c));
      return c.body(null, 204);
    })
    .openapi(unreadCountRoute, async (c) =>
      c.json(await unreadNotificationCount(c.get('services'), requireViewer(c)), 200),
    )
    .openapi(getSettingsRoute, async (c) =>
      c.json(await getNotificationSettings(c.get('services'), requireViewer(c)), 200),
    )
    .openapi(putSettingsRoute, async (c) => {
      await updateNotificationSettings(c.get('services'), requireViewer(c), c.req.valid('json'));
      return c.body(null, 204);
    });
}
