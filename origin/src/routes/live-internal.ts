import { createRoute, z } from '@hono/zod-openapi';
import {
  LiveAuthorizeInputSchema,
  LiveAuthorizeResultSchema,
  LiveDisconnectedInputSchema,
  LiveDisconnectedResultSchema,
  LiveSrtListenersSchema,
} from '../../../protocol/live.js';
import { createRouter, errorResponses } from '../lib/http.js';
import { srtListeners } from '../services/live/endpoint.js';
import { authorizePublisher, publisherDisconnected } from '../services/live/sessions.js';

const security = [{ internalAuth: [] }];
const tags = ['internal', 'live'];

const authorizeRoute = createRoute({
  method: 'post',
  path: '/internal/v1/live/authorize',
  tags,
  summary: 'May this publisher go on air? Ingest asks before accepting any media',
  description:
    '403 for a wrong, rotated or unknown key (nothing is created). One session per channel: the newest valid publisher takes over an open session (`resumed`).',
  security,
  request: {
    body: { content: { 'application/json': { schema: LiveAuthorizeInputSchema } }, required: true },
  },
  responses: {
    200: { description: 'Go on air', content: { 'application/json': { schema: LiveAuthorizeResultSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

const disconnectedRoute = createRoute({
  method: 'post',
  path: '/internal/v1/live/sessions/{id}/disconnected',
  tags,
  summary: 'The publisher went away: the reconnect window starts (a superseded publisher changes nothing)',
  security,
  request: {
    params: z.object({ id: z.string().uuid() }),
    body: { content: { 'application/json': { schema: LiveDisconnectedInputSchema } }, required: true },
  },
  responses: {
    200: {
      description: 'What happened',
      content: { 'application/json': { schema: LiveDisconnectedResultSchema } },
    },
    ...errorResponses(400, 401, 404),
  },
});

const srtListenersRoute = createRoute({
  method: 'get',
  path: '/internal/v1/live/srt-listeners',
  tags,
  summary: 'The SRT listeners ingest runs: port, channel and current passphrase of every channel with a key',
  security,
  responses: {
    200: { description: 'Listeners', content: { 'application/json': { schema: LiveSrtListenersSchema } } },
    ...errorResponses(401),
  },
});

/** What ingest nodes ask the origin. Mounted under the internal token check (`internalRoutes`). */
export function liveInternalRoutes() {
  return createRouter()
    .openapi(srtListenersRoute, async (c) => {
      c.header('cache-control', 'no-store');
      return c.json(await srtListeners(c.get('services')), 200);
    })
    .openapi(authorizeRoute, async (c) =>
      c.json(await authorizePublisher(c.get('services'), c.req.valid('json')), 200),
    )
    .openapi(disconnectedRoute, async (c) => {
      const result = await publisherDisconnected(
        c.get('services'),
        c.req.valid('param').id,
        c.req.valid('json'),
      );
      return c.json(
        result.outcome === 'reconnect_window'
          ? { outcome: result.outcome, endsAt: result.endsAt.toISOString() }
          : { outcome: result.outcome },
        200,
      );
    });
}
