import { createRoute } from '@hono/zod-openapi';
import {
  ChannelSearchPageSchema,
  SearchQuerySchema,
  VideoSearchPageSchema,
} from '../../../protocol/api/search.js';
import { createRouter, errorResponses } from '../lib/http.js';
import { searchChannels, searchVideos } from '../services/search/search.js';

const searchVideosRoute = createRoute({
  method: 'get',
  path: '/api/v1/search/videos',
  tags: ['search'],
  summary: 'Videos the caller may see whose title, description or tags match, best first',
  description:
    'Every word of `search` (or `q`) must match as a prefix, ignoring accents and case; title matches rank over description matches, which rank over tag matches.',
  request: { query: SearchQuerySchema },
  responses: {
    200: { description: 'A page', content: { 'application/json': { schema: VideoSearchPageSchema } } },
    ...errorResponses(400, 401),
  },
});

const searchChannelsRoute = createRoute({
  method: 'get',
  path: '/api/v1/search/video-channels',
  tags: ['search'],
  summary: 'Channels whose name, handle or description match, best first',
  request: { query: SearchQuerySchema },
  responses: {
    200: { description: 'A page', content: { 'application/json': { schema: ChannelSearchPageSchema } } },
    ...errorResponses(400, 401),
  },
});

/** Full-text search over videos and channels (PeerTube's paths). */
export function searchRoutes() {
  return createRouter()
    .openapi(searchVideosRoute, async (c) =>
      c.json(await searchVideos(c.get('services'), c.get('viewer'), c.req.valid('query')), 200),
    )
    .openapi(searchChannelsRoute, async (c) =>
      c.json(await searchChannels(c.get('services'), c.req.valid('query')), 200),
    );
}
