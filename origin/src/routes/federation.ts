import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { NODEINFO_PATH, nodeInfo, nodeInfoLinks } from '../../../protocol/activitypub/nodeinfo.js';
import { acceptsActivityJson } from '../../../protocol/activitypub/paths.js';
import { FederationHealthSchema } from '../../../protocol/api/federation.js';
import { requireViewer } from '../auth/middleware.js';
import { type AppEnv, bearerSecurity, createRouter, errorBody, errorResponses } from '../lib/http.js';
import { type ActorCollection, actorCollection } from '../services/federation/collections.js';
import type { VidraFederation } from '../services/federation/federation.js';
import { federationHealth } from '../services/federation/health.js';
import { nodeInfoCounts } from '../services/federation/stats.js';
import { videoObjectOf } from '../services/federation/video-activities.js';

/** Paths fedify answers: actors and their collections, inboxes, WebFinger. */
const FEDERATED_PATH = /^\/(?:\.well-known\/webfinger$|inbox$|accounts\/|video-channels\/)/;

/**
 * The Hono adapter `@fedify/hono` would be (it is not on the registry): hand federated paths to
 * `federation.fetch`, and fall through to our routes (HTML pages, the API) when fedify has
 * nothing there or the client did not ask for ActivityPub.
 */
export function federationMiddleware(
  federation: VidraFederation,
  publicUrl: string,
): MiddlewareHandler<AppEnv> {
  const publicOrigin = new URL(publicUrl);
  return async function federationMiddleware(c, next) {
    if (!FEDERATED_PATH.test(c.req.path)) return next();
    // Peers sign for our public host; behind the edge the origin sees its own, so fedify is shown
    // the request as the peer sent it: public URL and Host. A request signed for any other host
    // still fails, since the signed Host no longer matches.
    const url = new URL(c.req.url);
    const raw = c.req.raw;
    const headers = new Headers(raw.headers);
    headers.set('host', publicOrigin.host);
    const hasBody = raw.method !== 'GET' && raw.method !== 'HEAD';
    const request = new Request(new URL(url.pathname + url.search, publicOrigin), {
      method: raw.method,
      headers,
      ...(hasBody ? { body: await raw.arrayBuffer() } : {}),
    });
    let passed = false;
    const pass = () => {
      passed = true;
      return new Response(null, { status: 404 });
    };
    const response = await federation.fetch(request, {
      contextData: undefined,
      onNotFound: pass,
      onNotAcceptable: pass,
    });
    if (passed) return next();
    return response;
  };
}

const CollectionQuerySchema = z.object({ page: z.coerce.number().int().min(1).max(100_000).optional() });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const AP_JSON = { 'Content-Type': 'application/activity+json' };

/**
 * NodeInfo 2.0 (with the instance actor link, FEP-2677, PeerTube looks for), the Video objects at
 * their PeerTube-style ids, and the actors' outboxes.
 */
export function federationRoutes(publicUrl: string) {
  const app = createRouter();
  app.get('/videos/watch/:uuid', async (c, next) => {
    const uuid = c.req.param('uuid');
    if (!acceptsActivityJson(c.req.header('accept')) || !UUID.test(uuid)) return next();
    const loaded = await videoObjectOf(c.get('services').db, publicUrl, uuid);
    if (!loaded?.object || loaded.deleted) {
      return c.json(errorBody(c, 'not_found', 'No such video'), 404);
    }
    return c.json(loaded.object, 200, AP_JSON);
  });
  app.get('/.well-known/nodeinfo', (c) => c.json(nodeInfoLinks(publicUrl)));
  app.get(NODEINFO_PATH, async (c) => {
    const counts = await nodeInfoCounts(c.get('services'));
    return c.json(nodeInfo('0.1.0', counts, true), 200, {
      'Content-Type': 'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.0#"',
    });
  });
  // The actors' collections, PeerTube's paging (`?page=N`). fedify's own collection routes are
  // not registered (they refuse `{+identifier}` for outboxes, and re-serialise our JSON).
  for (const kind of ['accounts', 'video-channels'] as const) {
    app.get(`/${kind}/:name/:collection{outbox|followers|following}`, async (c) => {
      const query = CollectionQuerySchema.safeParse(c.req.query());
      if (!query.success) return c.json(errorBody(c, 'validation_failed', 'Bad page number'), 400);
      const collection = await actorCollection(
        c.get('services').db,
        publicUrl,
        `${kind}/${c.req.param('name')}`,
        c.req.param('collection') as ActorCollection,
        query.data.page,
      );
      if (!collection) return c.json(errorBody(c, 'not_found', 'No such actor'), 404);
      return c.json(collection, 200, AP_JSON);
    });
  }
  return app;
}

const healthRoute = createRoute({
  method: 'get',
  path: '/api/v1/admin/federation',
  tags: ['admin'],
  summary: 'Federation queue depth and delivery health per remote host (admin)',
  security: bearerSecurity,
  responses: {
    200: { description: 'Health', content: { 'application/json': { schema: FederationHealthSchema } } },
    ...errorResponses(401, 403),
  },
});

/** The admins' view of federation: what is queued, and how each remote host is doing. */
export function federationAdminRoutes() {
  return createRouter().openapi(healthRoute, async (c) =>
    c.json(await federationHealth(c.get('services'), requireViewer(c)), 200),
  );
}
