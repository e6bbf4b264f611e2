import type { Context } from 'hono';
import { Hono } from 'hono';
import {
  MAX_SDP_BYTES,
  SDP_CONTENT_TYPE,
  TRICKLE_CONTENT_TYPE,
  WHEP_PATH,
  WHIP_PATH,
  whepInternalPath,
} from '../../../protocol/webrtc.js';
import { clientIp, type EdgeEnv } from '../context.js';
import { errorResponse } from '../errors.js';
import { isRevoked } from '../playback/revocations.js';
import { checkRevocation, verifyCached } from '../playback/serve.js';

/** Edge session ids are `<node index>.<ingest session id>`: the index says where PATCH/DELETE go. */
const EDGE_SESSION = /^(\d{1,3})\.([A-Za-z0-9_-]{22})$/;

function cors(res: Response): Response {
  res.headers.set('access-control-allow-origin', '*');
  res.headers.set('access-control-expose-headers', 'location, link, etag');
  return res;
}

/** Forward a signalling request to one ingest node; a node that cannot be reached is a 502. */
async function forward(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    return new Response(null, { status: 599 });
  }
}

/** Read an SDP (or trickle) body once, bounded, so it can go to several nodes. */
async function readBody(c: Context<EdgeEnv>, type: string): Promise<string | Response> {
  if (!c.req.header('content-type')?.toLowerCase().startsWith(type))
    return errorResponse('unsupported_media_type', `The body must be ${type}`, c.var.requestId);
  const body = await c.req.text();
  if (body.length > MAX_SDP_BYTES)
    return errorResponse('payload_too_large', 'The body is too large', c.var.requestId);
  return body;
}

/** The ingest node's answer, with its `Location` rewritten to the edge's session path. */
function relayAnswer(res: Response, prefix: string, node: number): Response {
  const headers = new Headers();
  for (const name of ['content-type', 'link', 'etag']) {
    for (const value of name === 'link'
      ? (res.headers.get(name)?.split(/,\s*(?=<)/) ?? [])
      : [res.headers.get(name)])
      if (value) headers.append(name, value);
  }
  const location = res.headers.get('location');
  const id = location?.split('/').pop();
  if (res.status === 201 && id) headers.set('location', `${prefix}/sessions/${node}.${id}`);
  headers.set('cache-control', 'no-store');
  return cors(new Response(res.body, { status: res.status, headers }));
}

/**
 * WHIP and WHEP signalling at the edge (issue 12). The edge carries HTTP only: it checks what it
 * can (a WHEP playback token, with the same rules and revocations as HLS) and forwards the SDP to
 * the ingest node that holds the stream; media then flows over UDP between the client and that node.
 * `WEBRTC_NODES` lists the nodes' signalling URLs. A WHIP offer goes to the first node that takes
 * it; a WHEP offer is offered to each node in turn until one has the video live (404 otherwise).
 */
export function webrtcRoutes(): Hono<EdgeEnv> {
  const app = new Hono<EdgeEnv>();
  const nodes = (c: Context<EdgeEnv>) => c.var.state.config.webrtcNodes;
  const unavailable = (c: Context<EdgeEnv>) =>
    cors(errorResponse('unavailable', 'WebRTC is not configured on this edge', c.var.requestId));

  app.options(`${WHIP_PATH}/*`, (c) => preflight(c));
  app.options(WHIP_PATH, (c) => preflight(c));
  app.options(`${WHEP_PATH}/*`, (c) => preflight(c));

  app.post(WHIP_PATH, async (c) => {
    const list = nodes(c);
    if (!list.length) return unavailable(c);
    const offer = await readBody(c, SDP_CONTENT_TYPE);
    if (offer instanceof Response) return cors(offer);
    for (const [index, node] of list.entries()) {
      const res = await forward(`${node}${WHIP_PATH}`, {
        method: 'POST',
        headers: {
          'content-type': SDP_CONTENT_TYPE,
          authorization: c.req.header('authorization') ?? '',
          'x-request-id': c.var.requestId,
        },
        body: offer,
      });
      if (res.status !== 599 && res.status !== 503) return relayAnswer(res, WHIP_PATH, index);
    }
    return cors(errorResponse('unavailable', 'No ingest node could take the stream', c.var.requestId));
  });

  app.post(`${WHEP_PATH}/:token{[\\w-]+\\.[\\w-]+\\.[\\w-]+}`, async (c) => {
    const state = c.var.state;
    const requestId = c.var.requestId;
    const list = nodes(c);
    const ring = state.playbackKeys ? await state.playbackKeys : undefined;
    if (!list.length || !ring) return unavailable(c);
    const request = {
      ip: clientIp(c),
      country: (c.req.raw as Request & { cf?: { country?: string } }).cf?.country,
    };
    const verdict = await verifyCached(state, ring, c.req.param('token'), request);
    if (!verdict.ok)
      return cors(errorResponse('forbidden', `Playback refused: ${verdict.reason}`, requestId));
    const { claims } = verdict;
    if ((await checkRevocation(c)) === 'unknown')
      return cors(
        errorResponse('unavailable', 'Playback is paused: the edge cannot check revocations', requestId),
      );
    if (isRevoked(state.revocations, claims))
      return cors(errorResponse('forbidden', 'Playback refused: token revoked', requestId));
    if (claims.audience !== 'hls' || !claims.live)
      return cors(
        errorResponse('forbidden', 'Playback refused: this token is not for a live video', requestId),
      );
    const offer = await readBody(c, SDP_CONTENT_TYPE);
    if (offer instanceof Response) return cors(offer);
    for (const [index, node] of list.entries()) {
      const res = await forward(`${node}${whepInternalPath(claims.videoId)}`, {
        method: 'POST',
        headers: {
          'content-type': SDP_CONTENT_TYPE,
          authorization: `Bearer ${state.config.internalApiToken ?? ''}`,
          'x-request-id': requestId,
        },
        body: offer,
      });
      if (res.status !== 599 && res.status !== 404) return relayAnswer(res, WHEP_PATH, index);
    }
    return cors(errorResponse('not_found', 'This video is not live over WebRTC', requestId));
  });

  for (const prefix of [WHIP_PATH, WHEP_PATH]) {
    const session = async (c: Context<EdgeEnv>, method: 'PATCH' | 'DELETE') => {
      const match = EDGE_SESSION.exec(c.req.param('id') ?? '');
      const node = match ? nodes(c)[Number(match[1])] : undefined;
      if (!match || !node) return cors(errorResponse('not_found', 'No such session', c.var.requestId));
      const body = method === 'PATCH' ? await readBody(c, TRICKLE_CONTENT_TYPE) : undefined;
      if (body instanceof Response) return cors(body);
      const res = await forward(`${node}${prefix}/sessions/${match[2]}`, {
        method,
        headers: { 'content-type': TRICKLE_CONTENT_TYPE, 'x-request-id': c.var.requestId },
        ...(body !== undefined ? { body } : {}),
      });
      if (res.status === 599)
        return cors(errorResponse('bad_gateway', 'The ingest node did not answer', c.var.requestId));
      return cors(
        new Response(res.body, {
          status: res.status,
          headers: { 'content-type': res.headers.get('content-type') ?? 'text/plain' },
        }),
      );
    };
    app.patch(`${prefix}/sessions/:id`, (c) => session(c, 'PATCH'));
    app.delete(`${prefix}/sessions/:id`, (c) => session(c, 'DELETE'));
  }
  return app;
}

function preflight(c: Context<EdgeEnv>): Response {
  return c.body(null, 204, {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'POST, PATCH, DELETE, OPTIONS',
    'access-control-allow-headers': 'authorization, content-type, if-match',
    'access-control-expose-headers': 'location, link, etag',
    'access-control-max-age': '86400',
  });
}
