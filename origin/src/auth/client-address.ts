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

import {
  constantTimeEqual,
  EDGE_TOKEN_HEADER,
  isIpAddress,
  normalizeAddress,
} from '../../../protocol/client-address.js';

export { constantTimeEqual, EDGE_TOKEN_HEADER, isIpAddress, normalizeAddress };

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
