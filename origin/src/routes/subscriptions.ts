import { createRoute, z } from '@hono/zod-openapi';
import {
  SubscribeInputSchema,
  SubscriptionExistQuerySchema,
  SubscriptionExistSchema,
  SubscriptionFeedPageSchema,
  SubscriptionListQuerySchema,
  SubscriptionPageSchema,
  SubscriptionUriSchema,
} from '../../../protocol/api/subscriptions.js';
import { requireViewer } from '../auth/middleware.js';
import { bearerSecurity, createRouter, errorResponses } from '../lib/http.js';
import { subscriptionFeed } from '../services/subscriptions/feed.js';
import {
  listSubscriptions,
  subscribe,
  subscriptionsExist,
  unsubscribe,
} from '../services/subscriptions/follow.js';

const BASE = '/api/v1/users/me/subscriptions';
const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

const subscribeRoute = createRoute({
  method: 'post',
  path: BASE,
  tags: ['subscriptions'],
  summary: 'Subscribe to a channel (`handle`, or `handle@host` of this instance)',
  security: bearerSecurity,
  request: { body: { content: { 'application/json': { schema: SubscribeInputSchema } }, required: true } },
  responses: { 204: { description: 'Subscribed (also when already)' }, ...errorResponses(400, 401, 404) },
});

const unsubscribeRoute = createRoute({
  method: 'delete',
  path: `${BASE}/{uri}`,
  tags: ['subscriptions'],
  summary: 'Unsubscribe from a channel',
  security: bearerSecurity,
  request: { params: z.object({ uri: SubscriptionUriSchema }) },
  responses: { 204: { description: 'Unsubscribed' }, ...errorResponses(400, 401, 404) },
});

const listRoute = createRoute({
  method: 'get',
  path: BASE,
  tags: ['subscriptions'],
  summary: 'Channels the caller subscribes to, the newest subscription first',
  security: bearerSecurity,
  request: { query: SubscriptionListQuerySchema },
  responses: { 200: json('A page of channels', SubscriptionPageSchema), ...errorResponses(400, 401) },
});

const existRoute = createRoute({
  method: 'get',
  path: `${BASE}/exist`,
  tags: ['subscriptions'],
  summary: 'Whether the caller subscribes to each channel named in `uris`',
  security: bearerSecurity,
  request: { query: SubscriptionExistQuerySchema },
  responses: { 200: json('`{ [uri]: boolean }`', SubscriptionExistSchema), ...errorResponses(400, 401) },
});

const feedRoute = createRoute({
  method: 'get',
  path: `${BASE}/videos`,
  tags: ['subscriptions', 'videos'],
  summary: "New videos of the caller's subscriptions that the caller may see, newest first",
  security: bearerSecurity,
  request: { query: SubscriptionListQuerySchema },
  responses: { 200: json('A page of videos', SubscriptionFeedPageSchema), ...errorResponses(400, 401) },
});

/** Channel subscriptions of the signed-in user and their video feed (PeerTube's paths). */
export function subscriptionRoutes() {
  return createRouter()
    .openapi(subscribeRoute, async (c) => {
      await subscribe(c.get('services'), requireViewer(c), c.req.valid('json'), new URL(c.req.url).host);
      return c.body(null, 204);
    })
    .openapi(listRoute, async (c) =>
      c.json(await listSubscriptions(c.get('services'), requireViewer(c), c.req.valid('query')), 200),
    )
    .openapi(existRoute, async (c) =>
      c.json(
        await subscriptionsExist(
          c.get('services'),
          requireViewer(c),
          c.req.valid('query').uris,
          new URL(c.req.url).host,
        ),
        200,
      ),
    )
    .openapi(feedRoute, async (c) =>
      c.json(await subscriptionFeed(c.get('services'), requireViewer(c), c.req.valid('query')), 200),
    )
    .openapi(unsubscribeRoute, async (c) => {
      await unsubscribe(
        c.get('services'),
        requireViewer(c),
        c.req.valid('param').uri,
        new URL(c.req.url).host,
      );
      return c.body(null, 204);
    });
}
