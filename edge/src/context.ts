import type { Context } from 'hono';
import type { RequestIdVariables } from 'hono/request-id';
import type { Viewer } from '../../protocol/access-token-verifier.js';
import { isIpAddress, normalizeAddress } from '../../protocol/client-address.js';
import type { ClientIpSource, EdgeBindings, EdgeConfig } from './env.js';
import type { EdgeState } from './state.js';

/** The signed-in caller at the edge, as proven by an origin-issued access JWT. */
export type EdgeViewer = Viewer;

/** What the edge keeps on each request's context, set by the pipeline in `app.ts`. */
export type EdgeVariables = RequestIdVariables & {
  config: EdgeConfig;
  state: EdgeState;
  viewer: EdgeViewer | undefined;
};

/**
 * Hono environment of the edge app: raw bindings in, validated config, per-isolate state, request id
 * and viewer as variables. Handlers import it from here, never from `app.ts`, which mounts them.
 */
export type EdgeEnv = { Bindings: EdgeBindings; Variables: EdgeVariables };

/**
 * The one decision about the client's address: read from the single source the operator named
 * (CLIENT_IP_SOURCE), never from anything else the client sent. '' when unknown.
 *
 * - `cf-connecting-ip`: Cloudflare overwrites it at its edge, so the client cannot forge it there.
 *   Under `wrangler dev` it is only filled in when the client sent none, which is why that is not
 *   the default anywhere but the production environment.
 * - `header:<name>`: the operator's front proxy overwrites that header (`X-Real-IP $remote_addr`);
 *   if it appends instead (`X-Forwarded-For`), the last entry is the one it added.
 * - `none`: no address; every client shares the `unknown` rate-limit key.
 * A value that is not a literal IP address is refused rather than used as a key.
 */
export function decideClientIp(headers: Headers, source: ClientIpSource): string {
  if (source.kind === 'none') return '';
  const raw = headers.get(source.kind === 'header' ? source.name : 'cf-connecting-ip');
  const candidate = normalizeAddress(raw?.split(',').at(-1) ?? '');
  return isIpAddress(candidate) ? candidate : '';
}

/** The client's address for this request (rate limits, password checks, playback binding, XFF). */
export const clientIp = (c: Context<EdgeEnv>): string =>
  decideClientIp(c.req.raw.headers, c.var.config.clientIpSource);
