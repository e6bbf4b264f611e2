import { createRoute, z } from '@hono/zod-openapi';
import {
  CreatedPlaylistSchema,
  CreatePlaylistInputSchema,
  PlaylistListQuerySchema,
  PlaylistPageSchema,
  PlaylistSchema,
  UpdatePlaylistInputSchema,
  VideosExistQuerySchema,
  VideosExistSchema,
} from '../../../protocol/api/playlists.js';
import { requireViewer } from '../auth/middleware.js';
import { bearerSecurity, createRouter, errorResponses } from '../lib/http.js';
import {
  getPlaylist,
  listAccountPlaylists,
  listMyPlaylists,
  listPublicPlaylists,
  videosExist,
} from '../services/playlists/read.js';
import {
  createPlaylist,
  deletePlaylist,
  ensureWatchLater,
  updatePlaylist,
} from '../services/playlists/write.js';

export const PlaylistIdParams = z.object({ id: z.string().uuid('Not a playlist id') });
const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});
const pageJson = json('A page', PlaylistPageSchema);

const createPlaylistRoute = createRoute({
  method: 'post',
  path: '/api/v1/video-playlists',
  tags: ['playlists'],
  summary: 'Create a playlist (privacy: 1 public, 2 unlisted, 3 private, or our names)',
  security: bearerSecurity,
  request: {
    body: { content: { 'application/json': { schema: CreatePlaylistInputSchema } }, required: true },
  },
  responses: {
    201: json('Created', CreatedPlaylistSchema),
    ...errorResponses(400, 401),
  },
});

const listPlaylistsRoute = createRoute({
  method: 'get',
  path: '/api/v1/video-playlists',
  tags: ['playlists'],
  summary: 'Public playlists, newest first',
  request: { query: PlaylistListQuerySchema },
  responses: { 200: pageJson, ...errorResponses(400, 401) },
});

const getPlaylistRoute = createRoute({
  method: 'get',
  path: '/api/v1/video-playlists/{id}',
  tags: ['playlists'],
  summary: 'One playlist; a private playlist of someone else is a 404',
  request: { params: PlaylistIdParams },
  responses: { 200: json('The playlist', PlaylistSchema), ...errorResponses(400, 401, 404) },
});

const updatePlaylistRoute = createRoute({
  method: 'put',
  path: '/api/v1/video-playlists/{id}',
  tags: ['playlists'],
  summary: 'Change a playlist (owner or admin)',
  security: bearerSecurity,
  request: {
    params: PlaylistIdParams,
    body: { content: { 'application/json': { schema: UpdatePlaylistInputSchema } }, required: true },
  },
  responses: { 200: json('The changed playlist', PlaylistSchema), ...errorResponses(400, 401, 403, 404) },
});

const deletePlaylistRoute = createRoute({
  method: 'delete',
  path: '/api/v1/video-playlists/{id}',
  tags: ['playlists'],
  summary: 'Delete a playlist (owner or admin; not watch later)',
  security: bearerSecurity,
  request: { params: PlaylistIdParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) },
});

const accountPlaylistsRoute = createRoute({
  method: 'get',
  path: '/api/v1/accounts/{name}/video-playlists',
  tags: ['playlists'],
  summary: "An account's public playlists (all of them for the account itself)",
  request: { params: z.object({ name: z.string().min(1).max(100) }), query: PlaylistListQuerySchema },
  responses: { 200: pageJson, ...errorResponses(400, 401, 404) },
});

const myPlaylistsRoute = createRoute({
  method: 'get',
  path: '/api/v1/users/me/video-playlists',
  tags: ['playlists'],
  summary: "The caller's playlists, watch later (created on first use) first",
  security: bearerSecurity,
  request: { query: PlaylistListQuerySchema },
  responses: { 200: pageJson, ...errorResponses(400, 401) },
});

const videosExistRoute = createRoute({
  method: 'get',
  path: '/api/v1/users/me/video-playlists/videos-exist',
  tags: ['playlists'],
  summary: "Which of the caller's playlists hold each of these videos",
  security: bearerSecurity,
  request: { query: VideosExistQuerySchema },
  responses: { 200: json('By video id', VideosExistSchema), ...errorResponses(400, 401) },
});

/** Playlists themselves; their elements are in `playlist-elements.ts`. */
export function playlistRoutes() {
  return createRouter()
    .openapi(createPlaylistRoute, async (c) => {
      const playlist = await createPlaylist(c.get('services'), requireViewer(c), c.req.valid('json'));
      c.header('Location', `/api/v1/video-playlists/${playlist.id}`);
      return c.json({ videoPlaylist: playlist }, 201);
    })
    .openapi(listPlaylistsRoute, async (c) =>
      c.json(await listPublicPlaylists(c.get('services'), c.get('viewer'), c.req.valid('query')), 200),
    )
    .openapi(getPlaylistRoute, async (c) =>
      c.json(await getPlaylist(c.get('services'), c.get('viewer'), c.req.valid('param').id), 200),
    )
    .openapi(updatePlaylistRoute, async (c) =>
      c.json(
        await updatePlaylist(
          c.get('services'),
          requireViewer(c),
          c.req.valid('param').id,
          c.req.valid('json'),
        ),
        200,
      ),
    )
    .openapi(deletePlaylistRoute, async (c) => {
      await deletePlaylist(c.get('services'), requireViewer(c), c.req.valid('param').id);
      return c.body(null, 204);
    })
    .openapi(accountPlaylistsRoute, async (c) =>
      c.json(
        await listAccountPlaylists(
          c.get('services'),
          c.get('viewer'),
          c.req.valid('param').name,
          c.req.valid('query'),
        ),
        200,
      ),
    )
    .openapi(videosExistRoute, async (c) => {
      const ids = [c.req.valid('query').videoIds].flat();
      return c.json(await videosExist(c.get('services'), requireViewer(c), ids), 200);
    })
    .openapi(myPlaylistsRoute, async (c) => {
      const viewer = requireViewer(c);
      await ensureWatchLater(c.get('services'), viewer);
      return c.json(await listMyPlaylists(c.get('services'), viewer, c.req.valid('query')), 200);
    });
}
