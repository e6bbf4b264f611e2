/**
 * Address and secret helpers shared by the edge and the origin when they decide who a client is.
 * Runtime-neutral (no `node:*`): the edge runs them in workerd, the origin in Node.
 */

/** The header the edge sends on every proxied request, carrying INTERNAL_API_TOKEN. */
export const EDGE_TOKEN_HEADER = 'x-vidra-edge-token';

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
