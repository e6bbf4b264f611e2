import type { Context } from 'hono';
import * as z from 'zod/mini';
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

/** The schema of an answer without a body (204), for calls whose result is only ok or not. */
export const NO_CONTENT = z.undefined();

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
 *
 * A successful body is parsed against `schema` (a zod/mini twin from `protocol/api/*-mini.ts`):
 * one that breaks the contract is a 502 `bad_gateway`, so pages show their error state instead of
 * rendering garbage or throwing on a missing field.
 */
export async function callApi<S extends z.ZodMiniType>(
  c: Context<EdgeEnv>,
  path: string,
  schema: S,
  call: ApiCall = {},
): Promise<ApiResult<z.output<S>>> {
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
  if (res.ok && isJson) {
    const data = schema.safeParse(parsed);
    if (data.success) return { ok: true, status: res.status, data: data.data };
    // The details are for the operator: the viewer only needs to know the page could not load.
    console.error(
      JSON.stringify({
        msg: 'malformed API answer',
        requestId: c.var.requestId,
        path: url.pathname,
        problems: z.prettifyError(data.error),
      }),
    );
    return badGateway(c, 'The API answered a malformed body');
  }
  if (res.ok) return badGateway(c, 'The API answered no JSON');
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

function badGateway(c: Context<EdgeEnv>, message: string): ApiResult<never> {
  return { ok: false, status: 502, error: { code: 'bad_gateway', message, requestId: c.var.requestId } };
}

/** Field errors of a failed call, keyed by field path, for rendering next to each input. */
export function fieldErrors(error: ApiError | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of error?.fields ?? []) out[field.path] ??= field.message;
  return out;
}
