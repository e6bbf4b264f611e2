import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { ERROR_CODES, type ErrorCode } from '../../../protocol/error-codes.js';
import {
  type IceServer,
  looksLikeSdp,
  MAX_SDP_BYTES,
  SDP_CONTENT_TYPE,
  SESSION_ID,
  TRICKLE_CONTENT_TYPE,
  WHEP_PATH,
  WHIP_PATH,
  whepSessionPath,
  whipSessionPath,
} from '../../../protocol/webrtc.js';
import { trickleCandidates } from './peer.js';
import type { WebRtcIngest } from './webrtc-ingest.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface SignallingOptions {
  ingest: WebRtcIngest;
  internalToken: string;
  /** Advertised to WHIP clients as `Link: <url>; rel="ice-server"` (RFC 9725 section 4.6). */
  iceServers: IceServer[];
  logger: Logger;
}

function error(code: ErrorCode, message: string, requestId: string): Response {
  return Response.json({ error: { code, message, requestId } }, { status: ERROR_CODES[code] });
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function iceLinks(servers: IceServer[]): string[] {
  return servers.map((server) => {
    const extra = server.username
      ? `; username="${server.username}"; credential="${server.credential ?? ''}"; credential-type="password"`
      : '';
    return `<${server.urls}>; rel="ice-server"${extra}`;
  });
}

/**
 * The ingest node's WebRTC signalling (HTTP): WHIP for encoders, WHEP for viewers through the
 * edge. Bodies are checked before anything else runs: SDP only, 32 KiB at most.
 */
export function createSignallingApp(options: SignallingOptions): Hono {
  const { ingest, logger } = options;
  const app = new Hono();
  let counter = 0;
  const requestIdOf = (header: string | undefined) => header ?? `ingest-${(++counter).toString(36)}`;

  /** The SDP body, or an error response. */
  async function readBody(request: Request, type: string, requestId: string): Promise<string | Response> {
    if (!request.headers.get('content-type')?.toLowerCase().startsWith(type))
      return error('unsupported_media_type', `The body must be ${type}`, requestId);
    const length = Number(request.headers.get('content-length') ?? 0);
    if (length > MAX_SDP_BYTES) return error('payload_too_large', 'The body is too large', requestId);
    const body = await request.text();
    if (body.length > MAX_SDP_BYTES) return error('payload_too_large', 'The body is too large', requestId);
    return body;
  }

  function sdpAnswer(answer: string, location: string, links: string[] = []): Response {
    const headers = new Headers({ 'content-type': SDP_CONTENT_TYPE, location, 'cache-control': 'no-store' });
    for (const link of links) headers.append('link', link);
    return new Response(answer, { status: 201, headers });
  }

  app.onError((err, c) => {
    logger.warn({ err }, 'WebRTC signalling failed');
    return error(
      'bad_request',
      'The offer could not be negotiated',
      requestIdOf(c.req.header('x-request-id')),
    );
  });

  app.post(WHIP_PATH, async (c) => {
    const requestId = requestIdOf(c.req.header('x-request-id'));
    const key = bearer(c.req.header('authorization'));
    // No key, no work: 401 before the body is even read, let alone ICE.
    if (!key || key.length > 200)
      return error('unauthorized', 'Send the stream key as a Bearer token', requestId);
    const offer = await readBody(c.req.raw, SDP_CONTENT_TYPE, requestId);
    if (offer instanceof Response) return offer;
    if (!looksLikeSdp(offer)) return error('bad_request', 'The body is not an SDP offer', requestId);
    const outcome = await ingest.publish(key, offer);
    if (!outcome.ok)
      return error(outcome.status === 401 ? 'unauthorized' : 'unavailable', outcome.message, requestId);
    return sdpAnswer(outcome.answer, whipSessionPath(outcome.id), iceLinks(options.iceServers));
  });

  app.post('/internal/v1/whep/:videoId', async (c) => {
    const requestId = requestIdOf(c.req.header('x-request-id'));
    const token = bearer(c.req.header('authorization'));
    if (!token || !sameSecret(token, options.internalToken))
      return error('unauthorized', 'Internal route', requestId);
    const videoId = c.req.param('videoId');
    if (!UUID.test(videoId)) return error('validation_failed', 'Not a video id', requestId);
    const offer = await readBody(c.req.raw, SDP_CONTENT_TYPE, requestId);
    if (offer instanceof Response) return offer;
    if (!looksLikeSdp(offer)) return error('bad_request', 'The body is not an SDP offer', requestId);
    const played = await ingest.play(videoId, offer);
    if (!played) return error('not_found', 'This video is not live on this node', requestId);
    return sdpAnswer(played.answer, whepSessionPath(played.id));
  });

  // The session URL is the capability (128 random bits), as RFC 9725 allows.
  for (const [prefix, add, stop] of [
    [WHIP_PATH, ingest.addPublisherCandidates.bind(ingest), ingest.stopPublisher.bind(ingest)],
    [WHEP_PATH, ingest.addViewerCandidates.bind(ingest), ingest.stopViewer.bind(ingest)],
  ] as const) {
    app.patch(`${prefix}/sessions/:id`, async (c) => {
      const requestId = requestIdOf(c.req.header('x-request-id'));
      const id = c.req.param('id');
      if (!SESSION_ID.test(id)) return error('not_found', 'No such session', requestId);
      const fragment = await readBody(c.req.raw, TRICKLE_CONTENT_TYPE, requestId);
      if (fragment instanceof Response) return fragment;
      const found = await add(id, trickleCandidates(fragment));
      return found ? c.body(null, 204) : error('not_found', 'No such session', requestId);
    });
    app.delete(`${prefix}/sessions/:id`, (c) => {
      const requestId = requestIdOf(c.req.header('x-request-id'));
      const id = c.req.param('id');
      return SESSION_ID.test(id) && stop(id)
        ? c.body(null, 200)
        : error('not_found', 'No such session', requestId);
    });
  }
  return app;
}
