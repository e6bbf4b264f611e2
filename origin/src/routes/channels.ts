import { createRoute, z } from '@hono/zod-openapi';
import { UserSchema } from '../../../protocol/api/accounts.js';
import {
  ChannelListSchema,
  ChannelSchema,
  CreateChannelInputSchema,
  UpdateChannelInputSchema,
} from '../../../protocol/api/channels.js';
import { requireViewer } from '../auth/middleware.js';
import { bearerSecurity, createRouter, errorResponses } from '../lib/http.js';
import { getUser } from '../services/accounts/users.js';
import { createChannel, getChannel, listChannelsOf, updateChannel } from '../services/channels.js';

const channelJson = (description: string) => ({
  description,
  content: { 'application/json': { schema: ChannelSchema } },
});
const HandleParams = z.object({ handle: z.string().min(1).max(40) });

const createChannelRoute = createRoute({
  method: 'post',
  path: '/api/v1/channels',
  tags: ['channels'],
  summary: 'Create a channel owned by the caller',
  security: bearerSecurity,
  request: {
    body: { content: { 'application/json': { schema: CreateChannelInputSchema } }, required: true },
  },
  responses: { 201: channelJson('Channel created'), ...errorResponses(400, 401, 409) },
});

const getChannelRoute = createRoute({
  method: 'get',
  path: '/api/v1/channels/{handle}',
  tags: ['channels'],
  summary: 'A channel by handle (case-insensitive)',
  request: { params: HandleParams },
  responses: { 200: channelJson('The channel'), ...errorResponses(404) },
});

const updateChannelRoute = createRoute({
  method: 'patch',
  path: '/api/v1/channels/{handle}',
  tags: ['channels'],
  summary: 'Change a channel (owner or admin)',
  security: bearerSecurity,
  request: {
    params: HandleParams,
    body: { content: { 'application/json': { schema: UpdateChannelInputSchema } }, required: true },
  },
  responses: { 200: channelJson('The changed channel'), ...errorResponses(400, 401, 403, 404) },
});

const meRoute = createRoute({
  method: 'get',
  path: '/api/v1/users/me',
  tags: ['users'],
  summary: 'The signed-in user',
  security: bearerSecurity,
  responses: {
    200: { description: 'The user', content: { 'application/json': { schema: UserSchema } } },
    ...errorResponses(401),
  },
});

const myChannelsRoute = createRoute({
  method: 'get',
  path: '/api/v1/users/me/channels',
  tags: ['users', 'channels'],
  summary: "The signed-in user's channels",
  security: bearerSecurity,
  responses: {
    200: {
      description: 'Channels, oldest first',
      content: { 'application/json': { schema: ChannelListSchema } },
    },
    ...errorResponses(401),
  },
});

/** Channels, plus the signed-in user's own profile and channels. */
export function channelRoutes() {
  return createRouter()
    .openapi(createChannelRoute, async (c) =>
      c.json(await createChannel(c.get('services'), requireViewer(c), c.req.valid('json')), 201),
    )
    .openapi(getChannelRoute, async (c) =>
      c.json(await getChannel(c.get('services'), c.req.valid('param')), 200),
    )
    .openapi(updateChannelRoute, async (c) =>
      c.json(
        await updateChannel(
          c.get('services'),
          requireViewer(c),
          c.req.valid('param').handle,
          c.req.valid('json'),
        ),
        200,
      ),
    )
    .openapi(meRoute, async (c) =>
      c.json(await getUser(c.get('services'), { userId: requireViewer(c).userId }), 200),
    )
    .openapi(myChannelsRoute, async (c) =>
      c.json({ items: await listChannelsOf(c.get('services'), requireViewer(c)) }, 200),
    );
}
