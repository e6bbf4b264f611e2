import { Hono, type MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import { KeySetUnavailableError } from '../../protocol/access-token-verifier.js';
import { MEDIA_PROXY_PATH } from '../../protocol/federation/media-proxy.js';
import { hlsKey } from '../../protocol/media.js';
import { verifyAccessToken } from './auth/middleware.js';
import { chatUpgrade } from './chat/upgrade.js';
import { clientIp, type EdgeEnv } from './context.js';
import { loadConfig } from './env.js';
import { errorResponse } from './errors.js';
import { serveMediaProxy } from './federation/media-proxy.js';
import { activityPubNegotiation } from './federation/negotiate.js';
import { OriginAnswerError } from './origin-answer.js';
import { servePeertubeImage } from './peertube/images.js';
import { peertubeVideoJson } from './peertube/video-json.js';
import { serveFederatedMedia } from './playback/federated.js';
import { issuePlayback } from './playback/issue.js';
import { serveObject, servePlayback } from './playback/serve.js';
import { proxyToOrigin } from './proxy.js';
import { rateLimit } from './ratelimit-middleware.js';
import { fetchWithFailover } from './routing.js';
import { createEdgeState, type EdgeState } from './state.js';
import { webRoutes } from './web/routes.js';
import { webrtcRoutes } from './webrtc/routes.js';

/**
 * Operator surfaces of the origins: metrics, readiness and the internal API (with its OpenAPI
 * document). They are for the internal network; through the edge they do not exist.
 */
export const OPERATOR_PATHS = ['/metrics', '/readyz', '/internal/*'] as const;

/**
 * `X-Content-Type-Options: nosniff` on every answer: pages, API JSON, `/play/` files, errors. A
 * response built from a fetch or a cache hit has immutable headers, so it is copied first.
 */
function noSniff(): MiddlewareHandler<EdgeEnv> {
  return async function noSniff(c, next) {
    await next();
    try {
      c.res.headers.set('x-content-type-options', 'nosniff');
    } catch {
      const res = new Response(c.res.body, c.res);
      res.headers.set('x-content-type-options', 'nosniff');
      c.res = res;
    }
  };
}

/** Paths the edge answers itself. Namespaced under `/edge/` so they can never shadow an origin route. */
export const EDGE_HEALTH_PATH = '/edge/healthz';

/**
 * Build the edge worker's Hono app. It only mounts: handlers take their types from `context.ts`.
 *
 * The pipeline, in order:
 * 1. request id (every answer, errors included, must be traceable) and nosniff on every answer;
 * 2. config and per-isolate state (a misconfigured edge answers 500 and logs why);
 * 3. the edge's own routes: its health check and the server-rendered web pages;
 * 4. the origins' operator surfaces (`OPERATOR_PATHS`) closed to clients, and `/play/*` served from signed tokens: token check, then
 *    the edge cache, then storage;
 * 5. for `/api/*`: access-token verification against the origin's JWKS, then per-class rate
 *    limits, then playback issuance, decided at the edge;
 * 6. everything else proxied to the nearest healthy origin with failover.
 * Errors end in `onError`: an origin answer the edge cannot read is a 502, anything else a 500.
 */
export function createApp(): Hono<EdgeEnv> {
  const app = new Hono<EdgeEnv>();
  // Per-isolate state, built once per bindings object (the runtime reuses it across requests).
  const states = new WeakMap<object, EdgeState>();

  // Honours a well-formed incoming X-Request-Id (so a client or an upstream load balancer can
  // correlate), otherwise mints a UUID.
  app.use(requestId());
  app.use(noSniff());

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
  app.use(activityPubNegotiation());
  app.route('/', webRoutes());

  // The origins' internal API, metrics and readiness are for the edge and the operator alone.
  for (const path of OPERATOR_PATHS) {
    app.all(path, (c) => errorResponse('not_found', 'Not found', c.var.requestId));
  }

  app.on(['GET', 'HEAD'], '/play/*', servePlayback);
  app.on(['GET', 'HEAD'], `${MEDIA_PROXY_PATH}/:signature/:url`, serveMediaProxy);
  app.on(['GET', 'HEAD'], '/videos/watch/:uuid/media/:file{.+}', serveFederatedMedia);
  app.on(['GET', 'HEAD'], '/lazy-static/:dir{thumbnails|previews}/:file', servePeertubeImage);
  app.route('/', webrtcRoutes());
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
  app.get('/api/v1/videos/:id/chat', chatUpgrade);
  app.get(
    '/api/v1/videos/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}',
    peertubeVideoJson,
  );

  app.all('*', (c) =>
    fetchWithFailover(c.var.state.pool, c.req.method, (origin) =>
      proxyToOrigin(c.req.raw, {
        origin,
        requestId: c.var.requestId,
        clientIp: clientIp(c),
        edgeToken: c.var.config.internalApiToken,
      }),
    ),
  );

  app.onError((err, c) => {
    // c.var.requestId is unset only if the request-id middleware itself failed.
    const id = c.var.requestId ?? crypto.randomUUID();
    if (err instanceof OriginAnswerError || err instanceof KeySetUnavailableError) {
      console.error(JSON.stringify({ msg: 'unusable origin answer', requestId: id, error: String(err) }));
      return errorResponse('bad_gateway', 'The origin gave an answer the edge cannot use', id);
    }
    console.error(JSON.stringify({ msg: 'unhandled edge error', requestId: id, error: String(err) }));
    return errorResponse('internal_error', 'Unexpected error at the edge', id);
  });

  return app;
}
