import { createRoute, z } from '@hono/zod-openapi';
import { PageQuerySchema } from '../../../protocol/api/list.js';
import {
  PeerTubeAccountSchema,
  PeerTubeChannelPageSchema,
  PeerTubeChannelSchema,
  ServerAboutSchema,
  ServerConfigSchema,
  ServerStatsSchema,
} from '../../../protocol/api/peertube.js';
import { ListVideosQuerySchema, VideoPageSchema } from '../../../protocol/api/videos.js';
import { createRouter, errorResponses } from '../lib/http.js';
import {
  accountChannels,
  findAccount,
  getAccount,
  getPeerTubeChannel,
} from '../services/peertube/accounts.js';
import { serverAbout, serverConfig, serverStats } from '../services/peertube/instance.js';
import { listVideos, loadViewableVideo } from '../services/videos/read.js';

const json = <T extends z.ZodType>(schema: T, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});
const tags = ['peertube'];
const NameParams = z.object({ name: z.string().min(1).max(300) });
const HandleParams = z.object({ handle: z.string().min(1).max(300) });
const IdParams = z.object({ id: z.string().uuid('Not a video id') });
const VideoListQuery = ListVideosQuerySchema.omit({ channelId: true });
const PasswordHeader = z.object({ 'x-video-password': z.string().max(200).optional() });

const get = <P extends string>(path: P, summary: string) => ({ method: 'get' as const, path, tags, summary });

const configRoute = createRoute({
  ...get('/api/v1/config', "PeerTube's server config: instance name, server version"),
  responses: { 200: json(ServerConfigSchema) },
});
const aboutRoute = createRoute({
  ...get('/api/v1/config/about', 'About this instance'),
  responses: { 200: json(ServerAboutSchema) },
});
const statsRoute = createRoute({
  ...get('/api/v1/server/stats', 'Counts of users, videos, views, comments'),
  responses: { 200: json(ServerStatsSchema) },
});

const videoExtra = <P extends string, T extends z.ZodType>(path: P, summary: string, schema: T) =>
  createRoute({
    ...get(path, summary),
    request: { params: IdParams, headers: PasswordHeader },
    responses: { 200: json(schema), ...errorResponses(400, 401, 403, 404) },
  });
const captionsRoute = videoExtra(
  '/api/v1/videos/{id}/captions',
  'Captions (none yet)',
  z.object({
    total: z.number().int(),
    data: z.array(
      z.object({
        language: z.object({ id: z.string(), label: z.string() }),
        captionPath: z.string(),
        updatedAt: z.string().datetime(),
      }),
    ),
  }),
);
const chaptersRoute = videoExtra(
  '/api/v1/videos/{id}/chapters',
  'Chapters (none yet)',
  z.object({ chapters: z.array(z.object({ timecode: z.number(), title: z.string() })) }),
);
const storyboardsRoute = videoExtra(
  '/api/v1/videos/{id}/storyboards',
  'Storyboards in PeerTube form (none: ours are signed, see playback)',
  z.object({
    storyboards: z.array(
      z.object({
        storyboardPath: z.string(),
        totalHeight: z.number().int(),
        totalWidth: z.number().int(),
        spriteHeight: z.number().int(),
        spriteWidth: z.number().int(),
        spriteDuration: z.number(),
      }),
    ),
  }),
);
const descriptionRoute = videoExtra(
  '/api/v1/videos/{id}/description',
  'The full description',
  z.object({ description: z.string() }),
);

const channelRoute = createRoute({
  ...get('/api/v1/video-channels/{handle}', 'A channel in PeerTube form (`handle` or `handle@host`)'),
  request: { params: HandleParams },
  responses: { 200: json(PeerTubeChannelSchema), ...errorResponses(400, 404) },
});
const channelVideosRoute = createRoute({
  ...get('/api/v1/video-channels/{handle}/videos', "A channel's videos the caller may see"),
  request: { params: HandleParams, query: VideoListQuery },
  responses: { 200: json(VideoPageSchema), ...errorResponses(400, 404) },
});
const accountRoute = createRoute({
  ...get('/api/v1/accounts/{name}', 'An account in PeerTube form (`name` or `name@host`)'),
  request: { params: NameParams },
  responses: { 200: json(PeerTubeAccountSchema), ...errorResponses(400, 404) },
});
const accountVideosRoute = createRoute({
  ...get('/api/v1/accounts/{name}/videos', "The videos of an account's channels the caller may see"),
  request: { params: NameParams, query: VideoListQuery },
  responses: { 200: json(VideoPageSchema), ...errorResponses(400, 404) },
});
const accountChannelsRoute = createRoute({
  ...get('/api/v1/accounts/{name}/video-channels', "An account's channels, oldest first"),
  request: { params: NameParams, query: PageQuerySchema },
  responses: { 200: json(PeerTubeChannelPageSchema), ...errorResponses(400, 404) },
});

/**
 * The PeerTube read API beside the video catalogue (docs/adr/0022-peertube-read-api.md): instance
 * facts, a video's extras, channels and accounts under PeerTube's paths and shapes.
 */
export function peertubeRoutes() {
  return createRouter()
    .openapi(configRoute, (c) => c.json(serverConfig(c.get('services')), 200))
    .openapi(aboutRoute, (c) => c.json(serverAbout(), 200))
    .openapi(statsRoute, async (c) => c.json(await serverStats(c.get('services')), 200))
    .openapi(captionsRoute, async (c) => {
      await viewable(c);
      return c.json({ total: 0, data: [] }, 200);
    })
    .openapi(chaptersRoute, async (c) => {
      await viewable(c);
      return c.json({ chapters: [] }, 200);
    })
    .openapi(storyboardsRoute, async (c) => {
      await viewable(c);
      return c.json({ storyboards: [] }, 200);
    })
    .openapi(descriptionRoute, async (c) => {
      const { video } = await viewable(c);
      return c.json({ description: video.description }, 200);
    })
    .openapi(channelRoute, async (c) =>
      c.json(await getPeerTubeChannel(c.get('services'), c.req.valid('param').handle), 200),
    )
    .openapi(channelVideosRoute, async (c) => {
      const channel = await getPeerTubeChannel(c.get('services'), c.req.valid('param').handle);
      const query = { ...c.req.valid('query'), channelId: channel.id };
      return c.json(await listVideos(c.get('services'), c.get('viewer'), query), 200);
    })
    .openapi(accountRoute, async (c) =>
      c.json(await getAccount(c.get('services'), c.req.valid('param').name), 200),
    )
    .openapi(accountVideosRoute, async (c) => {
      const account = await findAccount(c.get('services'), c.req.valid('param').name);
      const page = await listVideos(c.get('services'), c.get('viewer'), c.req.valid('query'), {
        ownerId: account.id,
      });
      return c.json(page, 200);
    })
    .openapi(accountChannelsRoute, async (c) =>
      c.json(await accountChannels(c.get('services'), c.req.valid('param').name, c.req.valid('query')), 200),
    );
}

/** The video of `:id` if the caller may see it (the rules of `GET /api/v1/videos/:id`). */
// biome-ignore lint/suspicious/noExplicitAny: the four routes' contexts differ only in their response types
function viewable(c: any) {
  return loadViewableVideo(c.get('services'), {
    id: c.req.valid('param').id,
    viewer: c.get('viewer'),
    password: c.req.valid('header')['x-video-password'],
    ip: c.get('clientIp'),
  });
}
