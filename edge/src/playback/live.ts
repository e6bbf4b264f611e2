import type { Context } from 'hono';
import type { EdgeEnv } from '../context.js';
import { errorResponse } from '../errors.js';
import { fetchWithFailover } from '../routing.js';
import { bufferResponse, type LivePlaylistFlight } from './cache.js';

type EdgeState = EdgeEnv['Variables']['state'];

/**
 * The player's LL-HLS delivery directives, the only query parameters the edge passes to the
 * origin's live route: blocking reload (`_HLS_msn`, `_HLS_part`) and delta updates (`_HLS_skip`).
 */
const DIRECTIVES = ['_HLS_msn', '_HLS_part', '_HLS_skip'] as const;
const VALID: Record<(typeof DIRECTIVES)[number], RegExp> = {
  _HLS_msn: /^\d{1,9}$/,
  _HLS_part: /^\d{1,3}$/,
  _HLS_skip: /^(?:YES|v2)$/,
};

/**
 * The `_HLS_*` directives of a live playlist request in one fixed order (so equal requests give
 * equal strings, the collapsing key), every other parameter dropped. 'invalid' for a malformed or
 * repeated directive, or `_HLS_part` without `_HLS_msn` (the spec answers those with 400). Pure.
 */
export function liveDirectives(params: URLSearchParams): string | 'invalid' {
  const kept = new URLSearchParams();
  for (const name of DIRECTIVES) {
    const values = params.getAll(name);
    if (values.length === 0) continue;
    const [value] = values;
    if (values.length > 1 || value === undefined || !VALID[name].test(value)) return 'invalid';
    kept.set(name, name === '_HLS_skip' ? value : String(Number(value))); // `007` joins `7`
  }
  if (kept.has('_HLS_part') && !kept.has('_HLS_msn')) return 'invalid';
  return kept.toString();
}

/**
 * A blocking answer (`_HLS_msn` given) holds at least the asked-for part for good, so viewers who
 * ask just after it arrived may share it; a plain reload must be fresh, so it is never reused.
 */
const BLOCKING_REUSE_MS = 500;
const FLIGHTS_MAX = 5_000;

/** The live route of the origins' internal API for `key` (`hls/<path>`), query included. */
function fetchLive(state: EdgeState, videoId: string, key: string, query = ''): Promise<Response> {
  return fetchWithFailover(state.pool, 'GET', (origin) =>
    fetch(`${origin}/internal/v1/live/${videoId}/${key}${query ? `?${query}` : ''}`, {
      headers: { authorization: `Bearer ${state.config.internalApiToken}` },
    }),
  );
}

/** Loader of a live part, segment or init segment, for the immutable cache (`serveObject`). */
export function liveFile(state: EdgeState, videoId: string, key: string): () => Promise<Response> {
  return () => fetchLive(state, videoId, key);
}

/**
 * Serve a live playlist (`key` is `hls/master.m3u8` or `hls/<rendition>/index.m3u8`) of a video
 * whose token is already checked: forwarded to the origins' live route with the validated `_HLS_*`
 * directives only, never stored, and collapsed per isolate, so that many viewers blocked on the same
 * part cost the origin one request.
 */
export async function serveLivePlaylist(
  c: Context<EdgeEnv>,
  videoId: string,
  key: string,
): Promise<Response> {
  const state = c.var.state;
  const requestId = c.var.requestId;
  const query = liveDirectives(new URL(c.req.url).searchParams);
  if (query === 'invalid')
    return withCors(errorResponse('validation_failed', 'Malformed _HLS_ delivery directive', requestId));

  const flightKey = `${videoId}/${key}?${query}`;
  const now = Date.now();
  let flight = state.livePlaylists.get(flightKey);
  if (flight?.settledAt !== undefined && now - flight.settledAt >= BLOCKING_REUSE_MS) flight = undefined;
  if (!flight) {
    const fresh: LivePlaylistFlight = { object: fetchLive(state, videoId, key, query).then(bufferResponse) };
    flight = fresh;
    if (state.livePlaylists.size >= FLIGHTS_MAX) sweep(state.livePlaylists, now);
    state.livePlaylists.set(flightKey, fresh);
    const forget = () => {
      if (state.livePlaylists.get(flightKey) === fresh) state.livePlaylists.delete(flightKey);
    };
    fresh.object.then((object) => {
      if (object.status === 200 && query.includes('_HLS_msn')) fresh.settledAt = Date.now();
      else forget();
    }, forget);
  }

  const object = await flight.object;
  if (object.status !== 200) return withCors(originError(object.status, requestId));
  const headers = new Headers({
    'content-type': object.headers.get('content-type') ?? 'application/vnd.apple.mpegurl',
    // Every reload must reach the edge: the playlist changes with every part.
    'cache-control': 'no-store',
    'content-length': String(object.body.byteLength),
    'access-control-allow-origin': '*',
  });
  return new Response(c.req.method === 'HEAD' ? null : object.body, { status: 200, headers });
}

/** Drop flights whose reuse window is over (settled entries are otherwise removed lazily). */
function sweep(flights: Map<string, LivePlaylistFlight>, now: number): void {
  for (const [key, flight] of flights) {
    if (flight.settledAt !== undefined && now - flight.settledAt >= BLOCKING_REUSE_MS) flights.delete(key);
  }
}

/** The viewer-facing error for a non-200 answer of the live route. */
function originError(status: number, requestId: string): Response {
  if (status === 404) return errorResponse('not_found', 'No such file in this live stream', requestId);
  if (status === 400)
    return errorResponse('validation_failed', 'The stream cannot answer this playlist request', requestId);
  if (status === 503) {
    const res = errorResponse('unavailable', 'The live stream is not available right now', requestId);
    res.headers.set('retry-after', '1');
    return res;
  }
  return errorResponse('bad_gateway', 'The origin did not deliver the live playlist', requestId);
}

function withCors(res: Response): Response {
  res.headers.set('access-control-allow-origin', '*');
  return res;
}
