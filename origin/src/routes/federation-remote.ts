import { createRoute, z } from '@hono/zod-openapi';
import { RemoteFollowListSchema, RemoteVideoMediaSchema } from '../../../protocol/api/federation.js';
import { requireViewer } from '../auth/middleware.js';
import { bearerSecurity, createRouter, errorResponses } from '../lib/http.js';
import { listRemoteFollows } from '../services/federation/remote-follow.js';
import { remoteVideoMedia } from '../services/federation/remote-media.js';

const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/users/me/subscriptions/remote',
  tags: ['subscriptions'],
  summary: 'Remote channels the caller follows or asked to follow, with the state of each follow',
  security: bearerSecurity,
  responses: {
    200: {
      description: 'Remote follows',
      content: { 'application/json': { schema: RemoteFollowListSchema } },
    },
    ...errorResponses(401),
  },
});

const mediaRoute = createRoute({
  method: 'get',
  path: '/api/v1/videos/{id}/remote',
  tags: ['videos'],
  summary: "Where a remote video plays from: its own instance's HLS",
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: { description: 'Remote media', content: { 'application/json': { schema: RemoteVideoMediaSchema } } },
    ...errorResponses(400, 404),
  },
});

/** Remote content as local users see it: their remote follows, and where remote videos play. */
export function federationRemoteRoutes() {
  return createRouter()
    .openapi(listRoute, async (c) =>
      c.json({ data: await listRemoteFollows(c.get('services'), requireViewer(c)) }, 200),
    )
    .openapi(mediaRoute, async (c) =>
      c.json(await remoteVideoMedia(c.get('services'), c.req.valid('param').id), 200),
    );
}
