import { createRoute, z } from '@hono/zod-openapi';
import {
  CreatedVideoSchema,
  CreateVideoInputSchema,
  ListVideosQuerySchema,
  UpdateVideoInputSchema,
  VideoPageSchema,
  VideoSchema,
} from '../../../protocol/api/videos.js';
import { requireViewer } from '../auth/middleware.js';
import { bearerSecurity, createRouter, errorResponses } from '../lib/http.js';
import { getVideo, listVideos } from '../services/videos/read.js';
import { createVideo, deleteVideo, updateVideo } from '../services/videos/write.js';

const IdParams = z.object({ id: z.string().uuid('Not a video id') });
const videoJson = (description: string) => ({
  description,
  content: { 'application/json': { schema: VideoSchema } },
});

const createVideoRoute = createRoute({
  method: 'post',
  path: '/api/v1/videos',
  tags: ['videos'],
  summary: 'Create a video and get where to upload its file',
  security: bearerSecurity,
  request: { body: { content: { 'application/json': { schema: CreateVideoInputSchema } }, required: true } },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: CreatedVideoSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

const listVideosRoute = createRoute({
  method: 'get',
  path: '/api/v1/videos',
  tags: ['videos'],
  summary: 'Videos the caller may see, newest first',
  request: { query: ListVideosQuerySchema },
  responses: {
    200: { description: 'A page', content: { 'application/json': { schema: VideoPageSchema } } },
    ...errorResponses(400, 401),
  },
});

const getVideoRoute = createRoute({
  method: 'get',
  path: '/api/v1/videos/{id}',
  tags: ['videos'],
  summary: 'One video: state, progress, failure reason, duration, renditions',
  request: {
    params: IdParams,
    headers: z.object({ 'x-video-password': z.string().max(200).optional() }),
  },
  responses: { 200: videoJson('The video'), ...errorResponses(400, 401, 403, 404, 429) },
});

const updateVideoRoute = createRoute({
  method: 'patch',
  path: '/api/v1/videos/{id}',
  tags: ['videos'],
  summary: 'Change a video (owner or admin)',
  security: bearerSecurity,
  request: {
    params: IdParams,
    body: { content: { 'application/json': { schema: UpdateVideoInputSchema } }, required: true },
  },
  responses: { 200: videoJson('The changed video'), ...errorResponses(400, 401, 403, 404) },
});

const deleteVideoRoute = createRoute({
  method: 'delete',
  path: '/api/v1/videos/{id}',
  tags: ['videos'],
  summary: 'Delete a video (owner or admin)',
  security: bearerSecurity,
  request: { params: IdParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404, 409) },
});

/** The video catalogue: create, read, list, change, delete. */
export function videoRoutes() {
  return createRouter()
    .openapi(createVideoRoute, async (c) => {
      const video = await createVideo(c.get('services'), requireViewer(c), c.req.valid('json'));
      const upload = { protocol: 'tus' as const, url: '/api/v1/uploads', metadata: { videoId: video.id } };
      c.header('Location', `/api/v1/videos/${video.id}`);
      return c.json({ video, upload }, 201);
    })
    .openapi(listVideosRoute, async (c) =>
      c.json(await listVideos(c.get('services'), c.get('viewer'), c.req.valid('query')), 200),
    )
    .openapi(getVideoRoute, async (c) => {
      const video = await getVideo(c.get('services'), {
        id: c.req.valid('param').id,
        viewer: c.get('viewer'),
        password: c.req.valid('header')['x-video-password'],
        ip: c.get('clientIp'),
      });
      return c.json(video, 200);
    })
    .openapi(updateVideoRoute, async (c) =>
      c.json(
        await updateVideo(c.get('services'), requireViewer(c), c.req.valid('param').id, c.req.valid('json')),
        200,
      ),
    )
    .openapi(deleteVideoRoute, async (c) => {
      await deleteVideo(c.get('services'), requireViewer(c), c.req.valid('param').id);
      return c.body(null, 204);
    });
}
