import { createRoute, z } from '@hono/zod-openapi';
import { ErrorBodySchema } from '../../../protocol/errors.js';
import {
  LiveEndpointSchema,
  LiveIngestAnswerSchema,
  UpdateLiveSettingsInputSchema,
} from '../../../protocol/live.js';
import { requireViewer } from '../auth/middleware.js';
import { bearerSecurity, createRouter, errorResponses } from '../lib/http.js';
import {
  createLiveEndpoint,
  getLiveEndpoint,
  rotateLiveKey,
  updateLiveSettings,
} from '../services/live/endpoint.js';

const HandleParams = z.object({ handle: z.string().min(1).max(40) });
const tags = ['live'];
const ingestJson = (description: string) => ({
  description,
  content: { 'application/json': { schema: LiveIngestAnswerSchema } },
});
const endpointJson = (description: string) => ({
  description,
  content: { 'application/json': { schema: LiveEndpointSchema } },
});
const unavailable = {
  503: {
    description: 'Every SRT port of the instance is taken',
    content: { 'application/json': { schema: ErrorBodySchema } },
  },
};

const createLiveRoute = createRoute({
  method: 'post',
  path: '/api/v1/channels/{handle}/live',
  tags,
  summary: 'Give the channel a stream key and SRT port (owner only); the secrets are shown only here',
  description:
    'A channel with a key already gets 409: rotate it with POST .../live/key, so a repeated call never breaks a running encoder. Anyone but the owner gets 404.',
  security: bearerSecurity,
  request: { params: HandleParams },
  responses: {
    201: ingestJson('Where and how to publish'),
    ...errorResponses(401, 404, 409),
    ...unavailable,
  },
});

const rotateKeyRoute = createRoute({
  method: 'post',
  path: '/api/v1/channels/{handle}/live/key',
  tags,
  summary: 'Rotate the stream key and SRT passphrase (owner only); the old ones are refused from now on',
  security: bearerSecurity,
  request: { params: HandleParams },
  responses: { 201: ingestJson('The new secrets, shown only here'), ...errorResponses(401, 404) },
});

const getLiveRoute = createRoute({
  method: 'get',
  path: '/api/v1/channels/{handle}/live',
  tags,
  summary: "The channel's live state, current video and settings (owner only); never the key",
  security: bearerSecurity,
  request: { params: HandleParams },
  responses: { 200: endpointJson('The live endpoint'), ...errorResponses(401, 404) },
});

const updateLiveRoute = createRoute({
  method: 'patch',
  path: '/api/v1/channels/{handle}/live',
  tags,
  summary: 'Change live settings (owner only); they apply from the next session',
  security: bearerSecurity,
  request: {
    params: HandleParams,
    body: { content: { 'application/json': { schema: UpdateLiveSettingsInputSchema } }, required: true },
  },
  responses: { 200: endpointJson('The changed endpoint'), ...errorResponses(400, 401, 404) },
});

/** A channel's live endpoint, for its owner: keys, state and settings. */
export function liveRoutes() {
  return createRouter()
    .openapi(createLiveRoute, async (c) => {
      c.header('cache-control', 'no-store');
      const handle = c.req.valid('param').handle;
      return c.json(await createLiveEndpoint(c.get('services'), requireViewer(c), handle), 201);
    })
    .openapi(rotateKeyRoute, async (c) => {
      c.header('cache-control', 'no-store');
      const handle = c.req.valid('param').handle;
      return c.json(await rotateLiveKey(c.get('services'), requireViewer(c), handle), 201);
    })
    .openapi(getLiveRoute, async (c) =>
      c.json(await getLiveEndpoint(c.get('services'), requireViewer(c), c.req.valid('param').handle), 200),
    )
    .openapi(updateLiveRoute, async (c) =>
      c.json(
        await updateLiveSettings(
          c.get('services'),
          requireViewer(c),
          c.req.valid('param').handle,
          c.req.valid('json'),
        ),
        200,
      ),
    );
}
