import type { MiddlewareHandler } from 'hono';
import { NODEINFO_PATH, nodeInfo, nodeInfoLinks } from '../../../protocol/activitypub/nodeinfo.js';
import { type AppEnv, createRouter } from '../lib/http.js';
import type { VidraFederation } from '../services/federation/federation.js';
import { nodeInfoCounts } from '../services/federation/stats.js';

/** Paths fedify answers: actors and their collections, inboxes, WebFinger. */
const FEDERATED_PATH = /^\/(?:\.well-known\/webfinger$|inbox$|accounts\/|video-channels\/)/;

/**
 * The Hono adapter `@fedify/hono` would be (it is not on the registry): hand federated paths to
 * `federation.fetch`, and fall through to our routes (HTML pages, the API) when fedify has
 * nothing there or the client did not ask for ActivityPub.
 */
export function federationMiddleware(federation: VidraFederation): MiddlewareHandler<AppEnv> {
  return async function federationMiddleware(c, next) {
    if (!FEDERATED_PATH.test(c.req.path)) return next();
    let passed = false;
    const pass = () => {
      passed = true;
      return new Response(null, { status: 404 });
    };
    const response = await federation.fetch(c.req.raw, {
      contextData: undefined,
      onNotFound: pass,
      onNotAcceptable: pass,
    });
    if (passed) return next();
    return response;
  };
}

/** NodeInfo 2.0, with the instance actor link (FEP-2677) PeerTube looks for. */
export function nodeInfoRoutes(publicUrl: string) {
  const app = createRouter();
  app.get('/.well-known/nodeinfo', (c) => c.json(nodeInfoLinks(publicUrl)));
  app.get(NODEINFO_PATH, async (c) => {
    const counts = await nodeInfoCounts(c.get('services'));
    return c.json(nodeInfo('0.1.0', counts, true), 200, {
      'Content-Type': 'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.0#"',
    });
  });
  // The actors' outboxes: listed but not yet filled (remote instances backfill from the videos' ids).
  for (const prefix of ['/accounts/:name/outbox', '/video-channels/:name/outbox']) {
    app.get(prefix, (c) =>
      c.json(
        {
          '@context': 'https://www.w3.org/ns/activitystreams',
          id: new URL(c.req.path, publicUrl).href,
          type: 'OrderedCollection',
          totalItems: 0,
          orderedItems: [],
        },
        200,
        { 'Content-Type': 'application/activity+json' },
      ),
    );
  }
  return app;
}
