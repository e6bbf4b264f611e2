import type { Context } from 'hono';
import { isGrowingPlaylist } from '../../../protocol/hls.js';
import { contentTypeOf, isPlaylist, videoObjectKey } from '../../../protocol/media.js';
import type { EdgeEnv } from '../context.js';
import { errorResponse } from '../errors.js';
import { type CachedObject, cachedLoad, sliceRange } from './cache.js';
import type { MediaSource } from './media.js';

const PLAYLIST_TTL = 86_400;
/** A playlist still growing (progressive publish): a new segment comes every few seconds. */
export const GROWING_PLAYLIST_TTL = 2;
const IMMUTABLE_TTL = 31_536_000;
/** Cache keys are URLs on a name that never resolves; the token is never part of them. */
const CACHE_ORIGIN = 'https://playback-cache.vidra.invalid';

/** Run `promise` past the response when there is an execution context (unit tests have none). */
export function background(c: Context<EdgeEnv>, promise: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(promise);
  } catch {
    void promise.catch(() => {});
  }
}

/**
 * How long a VOD playlist may be kept: a day (a republish changes the version, hence the cache
 * key), but seconds while it is still growing, or players would never see the next segments.
 */
export function playlistTtl(object: CachedObject): number {
  return isGrowingPlaylist(new TextDecoder().decode(object.body)) ? GROWING_PLAYLIST_TTL : PLAYLIST_TTL;
}

/**
 * One published file (`key`, relative to the video) of one video version, buffered, from the edge
 * cache or loaded once on a miss. Callers must have authorized the request already.
 */
export function loadPublished(
  c: Context<EdgeEnv>,
  media: MediaSource,
  videoId: string,
  version: number,
  key: string,
  source?: { cacheKey: string; load: () => Promise<Response> },
) {
  return cachedLoad(
    c.var.state.cache,
    source?.cacheKey ?? `${CACHE_ORIGIN}/${videoId}/${version}/${key}`,
    isPlaylist(key) ? playlistTtl : IMMUTABLE_TTL,
    source?.load ?? (() => media.get(videoObjectKey(videoId, key))),
    (promise) => background(c, promise),
    videoId,
  );
}

/**
 * Serve one published file (`key`, relative to the video) of one video version from the edge
 * cache, loading it once on a miss. Callers must have authorized the request already. `source`
 * replaces storage (and the cache key) for files that are not in storage yet: a live stream's.
 */
export async function serveObject(
  c: Context<EdgeEnv>,
  videoId: string,
  version: number,
  key: string,
  source?: { cacheKey: string; load: () => Promise<Response> },
): Promise<Response> {
  const state = c.var.state;
  const requestId = c.var.requestId;
  const media = state.media;
  if (!media) return errorResponse('unavailable', 'Playback is not configured on this edge', requestId);
  const playlist = isPlaylist(key);
  const { object, hit } = await loadPublished(c, media, videoId, version, key, source);
  if (object.status === 404) return errorResponse('not_found', 'No such file for this video', requestId);
  if (object.status !== 200)
    return errorResponse('bad_gateway', 'Storage did not deliver the file', requestId);

  const headers = new Headers({
    'content-type': contentTypeOf(key),
    'cache-control': playlist
      ? `public, max-age=${playlistTtl(object)}`
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
