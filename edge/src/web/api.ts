import type { Context } from 'hono';
import type { ErrorCode } from '../../../protocol/error-codes.js';
import { ErrorBodyMiniSchema } from '../../../protocol/errors-mini.js';
import { clientIp, type EdgeEnv } from '../context.js';
import { proxyToOrigin } from '../proxy.js';
import { fetchWithFailover } from '../routing.js';

/** The API's one error shape, as far as the pages use it. */
export interface ApiError {
  code: ErrorCode;
  message: string;
  requestId?: string;
  fields?: { path: string; message: string }[];
}

/** Outcome of an API call: the parsed body on 2xx, the parsed error otherwise. */
export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; error: ApiError };

/** Options of `callApi`; `token` is the viewer's access token, when there is one. */
export interface ApiCall {
  method?: string;
  token?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Call the origin's public API from a page handler, as the viewer whose token is given.
 *
 * The request goes through `proxyToOrigin` with the edge's failover, so it carries the same
 * forwarding headers (client address, request id) as a browser's own API call would, and an
 * unreachable origin becomes a 502 in the house error shape instead of an exception. Edge-local
 * routes (playback issuance) are not reachable this way; pages use their building blocks directly.
 */
export async function callApi<T>(
  c: Context<EdgeEnv>,
  path: string,
  call: ApiCall = {},
): Promise<ApiResult<T>> {
  const method = call.method ?? 'GET';
  const headers = new Headers({ accept: 'application/json', ...call.headers });
  if (call.token) headers.set('authorization', `Bearer ${call.token}`);
  let body: string | undefined;
  if (call.body !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(call.body);
  }
  const url = new URL(path, c.req.url);
  const res = await fetchWithFailover(c.var.state.pool, method, (origin) =>
    proxyToOrigin(new Request(url, { method, headers, body: body ?? null }), {
      origin,
      requestId: c.var.requestId,
      clientIp: clientIp(c),
      edgeToken: c.var.config.internalApiToken,
    }),
  );
  const text = await res.text();
  let parsed: unknown;
  let isJson = true;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    isJson = false;
  }
  if (res.ok && isJson) return { ok: true, status: res.status, data: parsed as T };
  if (res.ok)
    return { ok: false, status: 502, error: { code: 'bad_gateway', message: 'The API answered no JSON' } };
  // Anything but the one error shape (a proxy's HTML page, a truncated body) reads as a bad gateway.
  const error = ErrorBodyMiniSchema.safeParse(parsed);
  return {
    ok: false,
    status: res.status,
    error: error.success
      ? error.data.error
      : { code: 'bad_gateway', message: `The API answered ${res.status}` },
  };
}

/** Field errors of a failed call, keyed by field path, for rendering next to each input. */
export function fieldErrors(error: ApiError | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of error?.fields ?? []) out[field.path] ??= field.message;
  return out;
}
