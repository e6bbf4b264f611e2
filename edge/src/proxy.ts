import { constantTimeEqual, EDGE_TOKEN_HEADER } from '../../protocol/client-address.js';
import { errorResponse } from './errors.js';

/**
 * Headers that describe one TCP hop rather than the message (RFC 9110 §7.6.1). Forwarding them
 * would let a client steer the edge-to-origin connection (or leak the edge's own hop to the client).
 */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/**
 * Statuses whose responses must not carry a body; `new Response(body, …)` throws if one is given.
 * (101 cannot occur: `Upgrade` is hop-by-hop and stripped, so WebSockets are not proxied yet.)
 */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/** Everything `proxyToOrigin` needs besides the request itself. */
export type ProxyOptions = {
  /** Origin base URL (scheme, host, port only), as normalised by `EdgeEnvSchema`. */
  origin: string;
  /** The id the request-id middleware settled on; forwarded so origin logs line up with edge logs. */
  requestId: string;
  /** The client address the edge decided (`clientIp`), '' when unknown; sent as X-Forwarded-For. */
  clientIp: string;
  /** INTERNAL_API_TOKEN: vouches for X-Forwarded-For (X-Vidra-Edge-Token), never forwarded from a client. */
  edgeToken: string | undefined;
};

/** Client-sent address headers: the origin must hear about the client only from the edge. */
const CLIENT_ADDRESS_HEADERS = ['x-forwarded-for', 'x-real-ip', 'forwarded', 'cf-connecting-ip'];

/** True when `authorization` is `Bearer <internal token>`: the operator's key, which no client may relay. */
export function isInternalBearer(authorization: string | null, internalToken: string | undefined): boolean {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  return bearer !== undefined && internalToken !== undefined && constantTimeEqual(bearer, internalToken);
}

/**
 * Choose the origin for a request. Deliberately pure and trivial for now (first entry): it is the
 * seam where health-aware or latency-aware routing will plug in without touching the proxy itself.
 */
export function pickOrigin(origins: readonly string[]): string {
  const origin = origins[0];
  if (origin === undefined) throw new Error('pickOrigin needs at least one origin');
  return origin;
}

/** Copy `headers` minus hop-by-hop headers, including any the sender listed in `Connection`. */
export function stripHopByHop(headers: Headers): Headers {
  const out = new Headers(headers);
  const listed = (headers.get('connection') ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  for (const name of [...HOP_BY_HOP, ...listed]) out.delete(name);
  return out;
}

/**
 * Map the incoming URL onto the origin. Path and query are assigned onto a URL that already has
 * the origin's host instead of being resolved against it, because resolving a path such as
 * `//evil.example/x` would swap the host and turn the edge into an open proxy.
 */
export function upstreamUrl(incoming: URL, origin: string): URL {
  const target = new URL(origin);
  target.pathname = incoming.pathname;
  target.search = incoming.search;
  return target;
}

/** Build the headers the origin sees: the client's, minus hop-by-hop, plus the forwarding set. */
export function upstreamHeaders(
  request: Request,
  incoming: URL,
  options: Pick<ProxyOptions, 'requestId' | 'clientIp' | 'edgeToken'>,
): Headers {
  const headers = stripHopByHop(request.headers);
  // fetch() derives Host from the target URL; a stale client Host would confuse virtual hosting.
  headers.delete('host');
  // The client's 100-continue handshake is settled between client and Cloudflare/workerd before the
  // worker runs. Forwarded, it makes the origin answer an interim 100, which fetch() surfaces as the
  // final response and which a Worker cannot relay (Response statuses must be 200-599).
  headers.delete('expect');
  // The edge is the trust boundary: whatever address headers the client sent are dropped, and
  // X-Forwarded-For carries the one address the edge decided (never appended to the client's).
  // The edge token tells the origin that this X-Forwarded-For is the edge's, not a client's.
  for (const name of CLIENT_ADDRESS_HEADERS) headers.delete(name);
  headers.delete(EDGE_TOKEN_HEADER);
  if (options.clientIp) headers.set('x-forwarded-for', options.clientIp);
  if (options.edgeToken) headers.set(EDGE_TOKEN_HEADER, options.edgeToken);
  // A client holding the internal token must not reach operator surfaces through the edge.
  if (isInternalBearer(headers.get('authorization'), options.edgeToken)) headers.delete('authorization');
  headers.set('x-forwarded-host', incoming.host);
  headers.set('x-forwarded-proto', incoming.protocol.replace(/:$/, ''));
  headers.set('x-request-id', options.requestId);
  return headers;
}

/**
 * Forward `request` to the origin and hand back its response, streaming in both directions.
 *
 * Bodies are passed as streams and never read here, so tus uploads and server-sent events flow
 * through at the pace of the slower side instead of being buffered in the isolate's memory.
 * Redirects are returned to the client untouched (`redirect: 'manual'`): following them here would
 * hide them from the player and could send the request somewhere other than the origin.
 * A network failure becomes a 502 `bad_gateway` in the house error shape.
 */
export async function proxyToOrigin(request: Request, options: ProxyOptions): Promise<Response> {
  const incoming = new URL(request.url);
  const target = upstreamUrl(incoming, options.origin);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers: upstreamHeaders(request, incoming, options),
      body: hasBody ? request.body : null,
      redirect: 'manual',
    });
  } catch (err) {
    console.error(
      JSON.stringify({
        msg: 'origin unreachable',
        origin: options.origin,
        requestId: options.requestId,
        error: err instanceof Error ? err.message : String(err),
      }),
    );
    return errorResponse('bad_gateway', 'The origin could not be reached', options.requestId);
  }
  if (upstream.status < 200 || upstream.status > 599) {
    // Unrelayable interim or bogus status: report it as the origin's fault, not an edge crash.
    console.error(
      JSON.stringify({
        msg: 'unrelayable origin status',
        status: upstream.status,
        requestId: options.requestId,
      }),
    );
    return errorResponse(
      'bad_gateway',
      'The origin sent a response the edge cannot relay',
      options.requestId,
    );
  }
  // Responses from fetch() have immutable headers, so the edge builds its own around the same stream.
  const headers = stripHopByHop(upstream.headers);
  headers.set('x-request-id', options.requestId);
  return new Response(NULL_BODY_STATUSES.has(upstream.status) ? null : upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers,
  });
}
