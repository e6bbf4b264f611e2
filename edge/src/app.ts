import { Hono } from 'hono';
import { type RequestIdVariables, requestId } from 'hono/request-id';
import { type EdgeBindings, type EdgeConfig, loadConfig } from './env.js';
import { errorResponse } from './errors.js';
import { pickOrigin, proxyToOrigin } from './proxy.js';

/** Hono environment of the edge app: raw bindings in, validated config and request id as variables. */
export type EdgeEnv = {
  Bindings: EdgeBindings;
  Variables: RequestIdVariables & { config: EdgeConfig };
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
    await next();
  });

  app.get(EDGE_HEALTH_PATH, (c) => {
    // Liveness of the edge alone: probing origins here would make one slow origin fail every edge.
    c.header('cache-control', 'no-store');
    return c.json({ ok: true });
  });

  app.all('*', (c) =>
    proxyToOrigin(c.req.raw, {
      origin: pickOrigin(c.var.config.origins),
      requestId: c.var.requestId,
    }),
  );

  app.onError((err, c) => {
    // c.var.requestId is unset only if the request-id middleware itself failed.
    const id = c.var.requestId ?? crypto.randomUUID();
    console.error(JSON.stringify({ msg: 'unhandled edge error', requestId: id, error: String(err) }));
    return errorResponse('internal_error', 'Unexpected error at the edge', id);
  });

  return app;
}
