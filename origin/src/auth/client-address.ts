/**
 * Which client address a request comes from, and whether it comes from the operator's own network.
 * Pure (no sockets, no crypto module), so every case is unit-tested in test/security/.
 *
 * Headers a client sent are never believed by default. `X-Forwarded-For` is read only when:
 * - the edge vouches for it with `X-Vidra-Edge-Token: <INTERNAL_API_TOKEN>`: the edge overwrites
 *   X-Forwarded-For with the one client address it knows, so the first hop is that address;
 * - the peer is a configured proxy (TRUSTED_PROXY_ADDRESSES): proxies append, so the header is read
 *   from the right, skipping trusted proxies, and the first address they did not add wins.
 * `X-Real-IP` and every other client-supplied header are ignored.
 */

/** The header the edge sends on every proxied request, carrying INTERNAL_API_TOKEN. */
export const EDGE_TOKEN_HEADER = 'x-vidra-edge-token';

export interface ClientAddressPolicy {
  /** INTERNAL_API_TOKEN, shared with the edge. */
  edgeToken: string;
  /** Peers allowed to set X-Forwarded-For (a front proxy, a load balancer). */
  trustedProxies: ReadonlySet<string>;
}

export interface RequestOrigin {
  /** The TCP peer, as the socket reports it; undefined for in-process requests. */
  socketAddress: string | undefined;
  /** The raw X-Forwarded-For header, if any. */
  forwardedFor: string | undefined;
  /** The raw X-Vidra-Edge-Token header, if any. */
  edgeToken: string | undefined;
}

/** Compare two secrets in time that depends on their lengths only. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** `::ffff:10.0.0.1` (IPv4-mapped, as dual-stack sockets report it) -> `10.0.0.1`; lower-case IPv6. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(trimmed);
  return mapped?.[1] ?? trimmed;
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^[0-9a-f:]+(?::\d{1,3}(?:\.\d{1,3}){3})?$/;

/** True for a literal IPv4 or IPv6 address (no port, no brackets, no zone). */
export function isIpAddress(value: string): boolean {
  if (IPV4.test(value)) return true;
  return value.includes(':') && value.length <= 45 && IPV6.test(value);
}

/** True when the edge vouched for the request with the internal token. */
export function isFromEdge(request: RequestOrigin, policy: ClientAddressPolicy): boolean {
  return request.edgeToken !== undefined && constantTimeEqual(request.edgeToken, policy.edgeToken);
}

/** The one decision: the address throttles and logs use for this request. */
export function decideClientAddress(request: RequestOrigin, policy: ClientAddressPolicy): string {
  const socket = request.socketAddress ? normalizeAddress(request.socketAddress) : 'unknown';
  const hops = (request.forwardedFor ?? '')
    .split(',')
    .map(normalizeAddress)
    .filter((hop) => hop !== '');
  if (isFromEdge(request, policy)) {
    const first = hops[0];
    return first && isIpAddress(first) ? first : socket;
  }
  if (!policy.trustedProxies.has(socket)) return socket;
  for (const hop of [...hops].reverse()) {
    if (!isIpAddress(hop)) return socket; // a garbled header from a trusted proxy: believe only the peer
    if (!policy.trustedProxies.has(hop)) return hop;
  }
  return hops[0] ?? socket;
}

/**
 * True when the caller may reach operator surfaces (/metrics, /readyz, the internal OpenAPI
 * document): it holds the internal token as a bearer token, or it connects from a configured
 * internal address without coming through the edge (whatever the edge proxies is public traffic).
 */
export function isOperatorRequest(
  request: RequestOrigin & { authorization: string | undefined },
  policy: ClientAddressPolicy & { internalAddresses: ReadonlySet<string> },
): boolean {
  const bearer = /^Bearer (\S+)$/.exec(request.authorization ?? '')?.[1];
  if (bearer !== undefined && constantTimeEqual(bearer, policy.edgeToken)) return true;
  if (isFromEdge(request, policy) || !request.socketAddress) return false;
  return policy.internalAddresses.has(normalizeAddress(request.socketAddress));
}
