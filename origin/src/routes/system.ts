import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../lib/http.js';
import type { Metrics } from '../lib/metrics.js';
import { checkReadiness } from '../services/health.js';

const IndexSchema = z.object({
  name: z.literal('Vidra'),
  api: z.string(),
  health: z.string(),
  jwks: z.string(),
});
const indexRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['system'],
  summary: 'Where to find the API',
  responses: {
    200: { description: 'Service index', content: { 'application/json': { schema: IndexSchema } } },
  },
});

const healthzRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['system'],
  summary: 'Liveness: the process answers',
  responses: {
    200: {
      description: 'Alive',
      content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } },
    },
  },
});

const ReadySchema = z.object({ ok: z.boolean(), checks: z.object({ database: z.string() }) });
const readyzRoute = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['system'],
  summary: 'Readiness: the database answers',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: ReadySchema } } },
    503: { description: 'Not ready', content: { 'application/json': { schema: ReadySchema } } },
  },
});

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['system'],
  summary: 'Prometheus metrics',
  responses: {
    200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } },
  },
});

const JwkSchema = z.object({ kty: z.string(), kid: z.string(), alg: z.string() }).loose();
const jwksRoute = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  tags: ['auth'],
  summary: 'Public keys that verify access tokens, including recently rotated ones',
  responses: {
    200: {
      description: 'JWKS',
      content: { 'application/json': { schema: z.object({ keys: z.array(JwkSchema) }) } },
    },
  },
});

/** Service index, health, readiness, metrics and the JWKS. */
export function systemRoutes(metrics: Metrics) {
  return createRouter()
    .openapi(indexRoute, (c) =>
      c.json(
        {
          name: 'Vidra' as const,
          api: '/api/v1/openapi.json',
          health: '/healthz',
          jwks: '/.well-known/jwks.json',
        },
        200,
      ),
    )
    .openapi(healthzRoute, (c) => c.json({ ok: true as const }, 200))
    .openapi(readyzRoute, async (c) => {
      try {
        return c.json({ ok: true, checks: await checkReadiness(c.get('services')) }, 200);
      } catch (error) {
        c.get('logger').warn({ err: error }, 'readiness check failed');
        return c.json({ ok: false, checks: { database: 'unreachable' } }, 503);
      }
    })
    .openapi(metricsRoute, async (c) => {
      return c.text(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
    })
    .openapi(jwksRoute, async (c) => {
      // Short cache: edges poll this, and a rotated key must show up within a minute.
      c.header('Cache-Control', 'public, max-age=60');
      const jwks = await c.get('services').keys.jwks();
      return c.json(jwks as { keys: z.infer<typeof JwkSchema>[] }, 200);
    });
}
