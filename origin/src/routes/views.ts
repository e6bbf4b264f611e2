import { createRoute, z } from '@hono/zod-openapi';
import {
  AddViewInputSchema,
  HistoryPageSchema,
  HistoryQuerySchema,
  UpdateMeInputSchema,
} from '../../../protocol/api/views.js';
import { requireViewer } from '../auth/middleware.js';
import { bearerSecurity, createRouter, errorResponses } from '../lib/http.js';
import { addView, clearHistory, listHistory, setHistoryEnabled } from '../services/views/views.js';

const addViewRoute = createRoute({
  method: 'post',
  path: '/api/v1/videos/{id}/views',
  tags: ['videos'],
  summary: 'Report that the video is playing: one view per viewer and window, plus watch history',
  request: {
    params: z.object({ id: z.string().uuid('Not a video id') }),
    body: { content: { 'application/json': { schema: AddViewInputSchema } }, required: false },
  },
  responses: { 204: { description: 'Taken into account' }, ...errorResponses(400, 401, 404) },
});

const listHistoryRoute = createRoute({
  method: 'get',
  path: '/api/v1/users/me/history/videos',
  tags: ['users'],
  summary: 'What the user watched, last first',
  security: bearerSecurity,
  request: { query: HistoryQuerySchema },
  responses: {
    200: { description: 'A page', content: { 'application/json': { schema: HistoryPageSchema } } },
    ...errorResponses(400, 401),
  },
});

const clearHistoryRoute = createRoute({
  method: 'delete',
  path: '/api/v1/users/me/history/videos',
  tags: ['users'],
  summary: "Clear the user's watch history",
  security: bearerSecurity,
  responses: { 204: { description: 'Cleared' }, ...errorResponses(401) },
});

const removeHistoryRoute = createRoute({
  method: 'post',
  path: '/api/v1/users/me/history/videos/remove',
  tags: ['users'],
  summary: "PeerTube's clear: what was watched before beforeDate, or everything",
  security: bearerSecurity,
  request: {
    body: {
      content: { 'application/json': { schema: z.object({ beforeDate: z.string().datetime().optional() }) } },
      required: false,
    },
  },
  responses: { 204: { description: 'Removed' }, ...errorResponses(400, 401) },
});

const removeHistoryVideoRoute = createRoute({
  method: 'delete',
  path: '/api/v1/users/me/history/videos/{videoId}',
  tags: ['users'],
  summary: 'Remove one video from the history',
  security: bearerSecurity,
  request: { params: z.object({ videoId: z.string().uuid('Not a video id') }) },
  responses: { 204: { description: 'Removed' }, ...errorResponses(400, 401) },
});

const updateMeRoute = createRoute({
  method: 'put',
  path: '/api/v1/users/me',
  tags: ['users'],
  summary: 'Change settings of the signed-in user (PeerTube: videosHistoryEnabled)',
  security: bearerSecurity,
  request: { body: { content: { 'application/json': { schema: UpdateMeInputSchema } }, required: true } },
  responses: { 204: { description: 'Changed' }, ...errorResponses(400, 401) },
});

/** Views and watch history. */
export function viewRoutes() {
  return createRouter()
    .openapi(addViewRoute, async (c) => {
      // PeerTube clients may post without a body.
      const raw = c.req.header('content-type')?.includes('json') ? await c.req.json().catch(() => ({})) : {};
      await addView(c.get('services'), {
        videoId: c.req.valid('param').id,
        viewer: c.get('viewer'),
        ip: c.get('clientIp'),
        body: raw,
      });
      return c.body(null, 204);
    })
    .openapi(listHistoryRoute, async (c) =>
      c.json(await listHistory(c.get('services'), requireViewer(c), c.req.valid('query')), 200),
    )
    .openapi(clearHistoryRoute, async (c) => {
      await clearHistory(c.get('services'), requireViewer(c));
      return c.body(null, 204);
    })
    .openapi(removeHistoryRoute, async (c) => {
      const body = c.req.header('content-type')?.includes('json') ? c.req.valid('json') : {};
      const beforeDate = body.beforeDate ? new Date(body.beforeDate) : undefined;
      await clearHistory(c.get('services'), requireViewer(c), { beforeDate });
      return c.body(null, 204);
    })
    .openapi(removeHistoryVideoRoute, async (c) => {
      await clearHistory(c.get('services'), requireViewer(c), { videoId: c.req.valid('param').videoId });
      return c.body(null, 204);
    })
    .openapi(updateMeRoute, async (c) => {
      await setHistoryEnabled(c.get('services'), requireViewer(c), c.req.valid('json').videosHistoryEnabled);
      return c.body(null, 204);
    });
}
