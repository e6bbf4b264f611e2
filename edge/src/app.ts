import { Hono } from 'hono';
import { type RequestIdVariables, requestId } from 'hono/request-id';
import { hlsKey } from '../../protocol/media.js';
import type { EdgeViewer } from './auth/jwt.js';
import { verifyAccessToken } from './auth/middleware.js';
import { type EdgeBindings, type EdgeConfig, loadConfig } from './env.js';
import { errorResponse } from './errors.js';
import { issuePlayback } from './playback/issue.js';
import { serveObject, servePlayback } from './playback/serve.js';
import { proxyToOrigin } from './proxy.js';
import { rateLimit } from './ratelimit-middleware.js';
import { fetchWithFailover } from './routing.js';
import { createEdgeState, type EdgeState } from './state.js';
import { webRoutes } from './web/routes.js';

/** Hono environment of the edge app: raw bindings in, validated config and request id as variables. */
export type EdgeEnv = {
  Bindings: EdgeBindings;
  Variables: RequestIdVariables & { config: EdgeConfig; state: EdgeState; viewer: EdgeViewer | undefined };
};

/** Paths the edge answers itself. Namespaced under `/edge/` so they can never shadow an origin route. */
export const EDGE_HEALTH_PATH = '/edge/healthz';

/**
 * Build the edge worker's Hono app.
 *
 * Middleware order is the pipeline future features slot into: request id first (every answer,
 * errors included, must be traceable), then config, then the edge's own routes, then, in the
 * catch-all, what will become token verification, rate limiting and manifest caching before the
 * request is handed to `proxyToOrigin`.
 */
export function createApp(): Hono<EdgeEnv> {
  const app = new Hono<EdgeEnv>();
  // Per-isolate state, built once per bindings object (the runtime reuses it across requests).
  const states = new WeakMap<object, EdgeState>();

  // Honours a well-formed incoming X-Request-Id (so a client or an upstream load balancer can
  // correlate), otherwise mints a UUID.
  app.use(requestId());

  app.use(async (c, next) => {
    const result = loadConfig(c.env);
    if (!result.ok) {
      console.error(
        JSON.stringify({
          msg: 'invalid edge bindings',
          requestId: c.var.requestId,
          problems: result.problems,
        }),
      );
      // Details stay in the log: they describe the deployment, which is none of the client's business.
      return errorResponse('internal_error', 'The edge is misconfigured', c.var.requestId);
    }
    c.set('config', result.config);
    let state = states.get(c.env ?? {});
    if (!state) {
      state = createEdgeState(result.config, c.env ?? {});
      if (c.env) states.set(c.env, state);
    }
    c.set('state', state);
    await next();
  });

  app.get(EDGE_HEALTH_PATH, (c) => {
    // Liveness of the edge alone: probing origins here would make one slow origin fail every edge.
    c.header('cache-control', 'no-store');
    return c.json({ ok: true });
  });
  app.route('/', webRoutes());

  // The origins' internal API is for the edge alone.
  app.all('/internal/*', (c) => errorResponse('not_found', 'Not found', c.var.requestId));

  app.on(['GET', 'HEAD'], '/play/*', servePlayback);
  // bench/edge compares signed serving with this unverified twin; it exists only when the
  // BENCH_UNVERIFIED_ROUTES binding is "true", which no deployed environment sets.
  app.get('/bench-raw/:videoId/:version/:path{.+}', (c) =>
    c.env?.BENCH_UNVERIFIED_ROUTES === 'true'
      ? serveObject(c, c.req.param('videoId'), Number(c.req.param('version')), hlsKey(c.req.param('path')))
      : errorResponse('not_found', 'Not found', c.var.requestId),
  );
  app.options('/play/*', (c) =>
    c.body(null, 204, {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, HEAD, OPTIONS',
      'access-control-allow-headers': 'range',
      'access-control-max-age': '86400',
    }),
  );

  app.use('/api/*', verifyAccessToken());
  app.use('/api/*', rateLimit());
  app.post('/api/v1/videos/:id/playback', issuePlayback);

  app.all('*', (c) =>
    fetchWithFailover(c.var.state.pool, c.req.method, (origin) =>
      proxyToOrigin(c.req.raw, { origin, requestId: c.var.requestId }),
    ),
  );

  app.onError((err, c) => {
    // c.var.requestId is unset only if the request-id middleware itself failed.
    const id = c.var.requestId ?? crypto.randomUUID();
    console.error(JSON.stringify({ msg: 'unhandled edge error', requestId: id, error: String(err) }));
    return errorResponse('internal_error', 'Unexpected error at the edge', id);
  });

  return app;
}
