import { timingSafeEqual } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  PasswordCheckInputSchema,
  PasswordCheckResultSchema,
  RevocationFeedSchema,
  VideoAccessPolicySchema,
} from '../../../protocol/api/internal.js';
import { isPublishedKey } from '../../../protocol/media.js';
import { ServiceError, UnauthorizedError } from '../lib/errors.js';
import { type AppEnv, createRouter, errorResponses } from '../lib/http.js';
import { storedObjectResponse } from '../lib/stored-response.js';
import { checkVideoPassword, revocationFeed, videoAccessPolicy } from '../services/videos/internal.js';
import { liveHlsRoutes } from './live-hub.js';
import { liveInternalRoutes } from './live-internal.js';

const security = [{ internalAuth: [] }];
const IdParams = z.object({ id: z.string().uuid() });

/** Only the edge and ingest nodes hold INTERNAL_API_TOKEN; compare in constant time. */
function requireInternalToken(token: string): MiddlewareHandler<AppEnv> {
  const expected = Buffer.from(`Bearer ${token}`);
  return async function requireInternalToken(c, next) {
    const given = Buffer.from(c.req.header('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new UnauthorizedError('This endpoint is for the edge only');
    }
    await next();
  };
}

const accessRoute = createRoute({
  method: 'get',
  path: '/internal/v1/videos/{id}/access',
  tags: ['internal'],
  summary: "A video's access policy and published files, for the edge",
  security,
  request: { params: IdParams },
  responses: {
    200: { description: 'Policy', content: { 'application/json': { schema: VideoAccessPolicySchema } } },
    ...errorResponses(401, 404),
  },
});

const passwordRoute = createRoute({
  method: 'post',
  path: '/internal/v1/videos/{id}/password-check',
  tags: ['internal'],
  summary: 'Check a video password for the edge (throttled per client address)',
  security,
  request: {
    params: IdParams,
    body: { content: { 'application/json': { schema: PasswordCheckInputSchema } }, required: true },
  },
  responses: {
    200: { description: 'Result', content: { 'application/json': { schema: PasswordCheckResultSchema } } },
    ...errorResponses(400, 401, 404, 429),
  },
});

const revocationsRoute = createRoute({
  method: 'get',
  path: '/internal/v1/revocations',
  tags: ['internal'],
  summary: 'Playback revocations after a sequence number, oldest first, for the edge to sync',
  security,
  request: {
    query: z.object({
      after: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(5000).default(1000),
    }),
  },
  responses: {
    200: {
      description: 'Revocations',
      content: { 'application/json': { schema: RevocationFeedSchema } },
    },
    ...errorResponses(400, 401),
  },
});

/** The origin's internal API: what the edge needs to authorize and serve playback. */
export function internalRoutes(internalApiToken: string) {
  const router = createRouter();
  router.use('/internal/*', requireInternalToken(internalApiToken));
  router.route('/', liveInternalRoutes());
  router.route('/', liveHlsRoutes());
  router.get('/internal/v1/media/:key{.+}', async (c) => {
    const key = c.req.param('key');
    // Only published outputs; sources and anything else stay private to the pipeline.
    if (!isPublishedKey(key)) {
      throw new ServiceError('not_found', 'No such media file');
    }
    const response = await storedObjectResponse(c.get('services').storage, key, c.req.raw);
    if (!response) throw new ServiceError('not_found', 'No such media file');
    return response;
  });
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/internal/v1/media/{key}',
    tags: ['internal'],
    summary: 'A published media file (Range supported); `key` may contain slashes',
    security,
    request: { params: z.object({ key: z.string() }) },
    responses: {
      200: { description: 'The file', content: { 'application/octet-stream': { schema: z.string() } } },
      206: {
        description: 'Part of the file',
        content: { 'application/octet-stream': { schema: z.string() } },
      },
      ...errorResponses(401, 404),
    },
  });
  return router
    .openapi(accessRoute, async (c) =>
      c.json(await videoAccessPolicy(c.get('services'), c.req.valid('param').id), 200),
    )
    .openapi(revocationsRoute, async (c) => {
      c.header('cache-control', 'no-store');
      return c.json(await revocationFeed(c.get('services'), c.req.valid('query')), 200);
    })
    .openapi(passwordRoute, async (c) => {
      const { password, ip } = c.req.valid('json');
      const ok = await checkVideoPassword(c.get('services'), { id: c.req.valid('param').id, password, ip });
      return c.json({ ok }, 200);
    });
}
