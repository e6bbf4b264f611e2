import { createRoute, z } from '@hono/zod-openapi';
import {
  AddedPlaylistElementSchema,
  AddPlaylistElementInputSchema,
  PlaylistElementPageSchema,
  PlaylistListQuerySchema,
  ReorderPlaylistInputSchema,
  UpdatePlaylistElementInputSchema,
} from '../../../protocol/api/playlists.js';
import { requireViewer } from '../auth/middleware.js';
import { bearerSecurity, createRouter, errorResponses } from '../lib/http.js';
import {
  addElement,
  listElements,
  removeElement,
  reorderElements,
  updateElement,
} from '../services/playlists/elements.js';
import { PlaylistIdParams } from './playlists.js';

const ElementParams = PlaylistIdParams.extend({
  elementId: z.coerce.number().int().positive('Not a playlist element id'),
});
const body = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema } },
  required: true,
});

const listElementsRoute = createRoute({
  method: 'get',
  path: '/api/v1/video-playlists/{id}/videos',
  tags: ['playlists'],
  summary: 'Elements in position order, without videos the caller may not see',
  request: { params: PlaylistIdParams, query: PlaylistListQuerySchema },
  responses: {
    200: { description: 'A page', content: { 'application/json': { schema: PlaylistElementPageSchema } } },
    ...errorResponses(400, 401, 404),
  },
});

const addElementRoute = createRoute({
  method: 'post',
  path: '/api/v1/video-playlists/{id}/videos',
  tags: ['playlists'],
  summary: 'Append a video (owner or admin)',
  security: bearerSecurity,
  request: { params: PlaylistIdParams, body: body(AddPlaylistElementInputSchema) },
  responses: {
    200: { description: 'Added', content: { 'application/json': { schema: AddedPlaylistElementSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const reorderRoute = createRoute({
  method: 'post',
  path: '/api/v1/video-playlists/{id}/videos/reorder',
  tags: ['playlists'],
  summary: 'Move reorderLength elements from startPosition to after insertAfterPosition (0: the front)',
  security: bearerSecurity,
  request: { params: PlaylistIdParams, body: body(ReorderPlaylistInputSchema) },
  responses: { 204: { description: 'Reordered' }, ...errorResponses(400, 401, 403, 404) },
});

const updateElementRoute = createRoute({
  method: 'put',
  path: '/api/v1/video-playlists/{id}/videos/{elementId}',
  tags: ['playlists'],
  summary: "Change an element's start or stop timestamp",
  security: bearerSecurity,
  request: { params: ElementParams, body: body(UpdatePlaylistElementInputSchema) },
  responses: { 204: { description: 'Changed' }, ...errorResponses(400, 401, 403, 404) },
});

const removeElementRoute = createRoute({
  method: 'delete',
  path: '/api/v1/video-playlists/{id}/videos/{elementId}',
  tags: ['playlists'],
  summary: 'Remove an element; the ones after it move up',
  security: bearerSecurity,
  request: { params: ElementParams },
  responses: { 204: { description: 'Removed' }, ...errorResponses(400, 401, 403, 404) },
});

/** The videos of a playlist: list, add, reorder, edit, remove (PeerTube's paths). */
export function playlistElementRoutes() {
  return createRouter()
    .openapi(listElementsRoute, async (c) =>
      c.json(
        await listElements(c.get('services'), c.get('viewer'), c.req.valid('param').id, c.req.valid('query')),
        200,
      ),
    )
    .openapi(addElementRoute, async (c) => {
      const element = await addElement(
        c.get('services'),
        requireViewer(c),
        c.req.valid('param').id,
        c.req.valid('json'),
      );
      return c.json({ videoPlaylistElement: element }, 200);
    })
    .openapi(reorderRoute, async (c) => {
      await reorderElements(
        c.get('services'),
        requireViewer(c),
        c.req.valid('param').id,
        c.req.valid('json'),
      );
      return c.body(null, 204);
    })
    .openapi(updateElementRoute, async (c) => {
      const { id, elementId } = c.req.valid('param');
      await updateElement(c.get('services'), requireViewer(c), id, elementId, c.req.valid('json'));
      return c.body(null, 204);
    })
    .openapi(removeElementRoute, async (c) => {
      const { id, elementId } = c.req.valid('param');
      await removeElement(c.get('services'), requireViewer(c), id, elementId);
      return c.body(null, 204);
    });
}
