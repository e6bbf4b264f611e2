import type { MiddlewareHandler } from 'hono';
import { acceptsActivityJson } from '../../../protocol/activitypub/paths.js';

/** Where the HTML page of a PeerTube-style ActivityPub id lives on this edge. */
const HTML_PAGES: ReadonlyArray<[RegExp, (id: string) => string]> = [
  [/^\/videos\/watch\/([0-9a-f-]{36})$/, (id) => `/w/${id}`],
  [/^\/video-channels\/([A-Za-z0-9_.-]{1,64})$/, (handle) => `/c/${handle}`],
];

/**
 * Content negotiation on our ActivityPub ids (`/videos/watch/<uuid>`, `/video-channels/<name>`):
 * a peer asking for `application/activity+json` or `application/ld+json` goes on to the origin
 * (the proxy behind this middleware); a browser is sent to the page for the same thing. The
 * answer varies on Accept, so no cache mixes the two.
 */
export function activityPubNegotiation(): MiddlewareHandler {
  return async function activityPubNegotiation(c, next) {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    for (const [pattern, page] of HTML_PAGES) {
      const match = pattern.exec(c.req.path);
      if (!match) continue;
      if (acceptsActivityJson(c.req.header('accept'))) {
        await next();
        c.res.headers.append('vary', 'Accept');
        return;
      }
      return c.redirect(page(match[1] as string), 302);
    }
    return next();
  };
}
