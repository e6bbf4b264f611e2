import { createRoute, z } from '@hono/zod-openapi';
import { RateVideoInputSchema, VideoRatingSchema } from '../../../protocol/api/reactions.js';
import { requireViewer } from '../auth/middleware.js';
import { bearerSecurity, createRouter, errorResponses } from '../lib/http.js';
import { getMyRating, rateVideo } from '../services/reactions/rate.js';

const IdParams = z.object({ id: z.string().uuid('Not a video id') });
const PasswordHeader = z.object({ 'x-video-password': z.string().max(200).optional() });

const rateRoute = createRoute({
  method: 'put',
  path: '/api/v1/videos/{id}/rate',
  tags: ['videos'],
  summary: 'Like, dislike, or take back the reaction (none) to a video the caller may see',
  security: bearerSecurity,
  request: {
    params: IdParams,
    headers: PasswordHeader,
    body: { content: { 'application/json': { schema: RateVideoInputSchema } }, required: true },
  },
  responses: { 204: { description: 'Rated' }, ...errorResponses(400, 401, 403, 404, 429) },
});

const myRatingRoute = createRoute({
  method: 'get',
  path: '/api/v1/users/me/videos/{id}/rating',
  tags: ['users', 'videos'],
  summary: "The caller's reaction to a video",
  security: bearerSecurity,
  request: { params: IdParams, headers: PasswordHeader },
  responses: {
    200: { description: 'The rating', content: { 'application/json': { schema: VideoRatingSchema } } },
    ...errorResponses(400, 401, 403, 404, 429),
  },
});

/** Likes and dislikes of videos (PeerTube's paths). */
export function reactionRoutes() {
  return createRouter()
    .openapi(rateRoute, async (c) => {
      await rateVideo(c.get('services'), {
        viewer: requireViewer(c),
        videoId: c.req.valid('param').id,
        password: c.req.valid('header')['x-video-password'],
        ip: c.get('clientIp'),
        body: c.req.valid('json'),
      });
      return c.body(null, 204);
    })
    .openapi(myRatingRoute, async (c) =>
      c.json(
        await getMyRating(c.get('services'), {
          viewer: requireViewer(c),
          videoId: c.req.valid('param').id,
          password: c.req.valid('header')['x-video-password'],
          ip: c.get('clientIp'),
        }),
        200,
      ),
    );
}
