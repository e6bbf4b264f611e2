import type { Context } from 'hono';
import type { EdgeEnv } from '../app.js';
import { errorResponse } from '../errors.js';
import { cachedLoad, sliceRange } from './cache.js';
import { clientIp } from './issue.js';
import { contentTypeOf, isPlaylist, playbackObjectPath } from './paths.js';
import { verifyPlaybackToken } from './token.js';

const PLAYLIST_TTL = 86_400;
const IMMUTABLE_TTL = 31_536_000;

function forbidden(reason: string, requestId: string): Response {
  const res = errorResponse('forbidden', `Playback refused: ${reason}`, requestId);
  res.headers.set('access-control-allow-origin', '*');
  return res;
}

/**
 * `GET /play/<token>/<file>`: verify the token before serving a byte, then serve the file from the
 * edge cache (keyed without the token, so every viewer shares one copy) or load it once from
 * storage. Ranges are answered from the buffered object.
 */
export async function servePlayback(c: Context<EdgeEnv>): Promise<Response> {
  const state = c.var.state;
  const requestId = c.var.requestId;
  const ring = state.playbackKeys ? await state.playbackKeys : undefined;
  if (!ring || !state.media)
    return errorResponse('unavailable', 'Playback is not configured on this edge', requestId);

  const url = new URL(c.req.url);
  const match = /^\/play\/([\w-]+\.[\w-]+\.[\w-]+)\/(.+)$/.exec(url.pathname);
  if (!match) return forbidden('malformed playback URL', requestId);
  const [, token, requested] = match as unknown as [string, string, string];
  const verdict = await verifyPlaybackToken(ring, token, {
    ip: clientIp(c),
    country: (c.req.raw as Request & { cf?: { country?: string } }).cf?.country,
  });
  if (!verdict.ok) return forbidden(verdict.reason, requestId);
  const { claims } = verdict;
  const objectPath = playbackObjectPath(claims.audience, requested);
  if (!objectPath) return forbidden("path outside this video's files", requestId);

  const playlist = isPlaylist(objectPath);
  const cacheKey = `https://playback-cache.vidra.invalid/${claims.videoId}/${claims.version}/${objectPath}`;
  const { object, hit } = await cachedLoad(
    state.cache,
    cacheKey,
    playlist ? PLAYLIST_TTL : IMMUTABLE_TTL,
    () => {
      state.stats.originMediaFetches++;
      return (state.media as NonNullable<typeof state.media>).get(`videos/${claims.videoId}/${objectPath}`);
    },
    (promise) => {
      // Outside a real request (unit tests calling fetch directly) there is no execution context.
      try {
        c.executionCtx.waitUntil(promise);
      } catch {
        void promise;
      }
    },
  );
  if (object.status === 404) return errorResponse('not_found', 'No such file for this video', requestId);
  if (object.status !== 200)
    return errorResponse('bad_gateway', 'Storage did not deliver the file', requestId);

  const headers = new Headers({
    'content-type': contentTypeOf(objectPath),
    'cache-control': playlist
      ? `public, max-age=${PLAYLIST_TTL}`
      : `public, max-age=${IMMUTABLE_TTL}, immutable`,
    'accept-ranges': 'bytes',
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'content-length, content-range, x-vidra-cache',
    'x-vidra-cache': hit ? 'HIT' : 'MISS',
  });
  const size = object.body.byteLength;
  const range = sliceRange(c.req.header('range') ?? null, size);
  if (range === 'unsatisfiable') {
    headers.set('content-range', `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const body = range ? object.body.slice(range.start, range.end + 1) : object.body;
  headers.set('content-length', String(body.byteLength));
  if (range) headers.set('content-range', `bytes ${range.start}-${range.end}/${size}`);
  return new Response(c.req.method === 'HEAD' ? null : body, { status: range ? 206 : 200, headers });
}
