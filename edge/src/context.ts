import type { Context } from 'hono';
import type { RequestIdVariables } from 'hono/request-id';
import type { Viewer } from '../../protocol/access-token-verifier.js';
import type { EdgeBindings, EdgeConfig } from './env.js';
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

/** The client's address as Cloudflare reports it (workerd sets it in dev too); '' when unknown. */
export const clientIp = (c: Context<EdgeEnv>): string => c.req.header('cf-connecting-ip') ?? '';
