import type { Context } from 'hono';
import { isGrowingPlaylist } from '../../../protocol/hls.js';
import { contentTypeOf, isPlaylist, playbackObjectKey, videoObjectKey } from '../../../protocol/media.js';
import { clientIp, type EdgeEnv } from '../context.js';
import { errorResponse } from '../errors.js';
import { type CachedObject, cachedLoad, purgeGroup, sliceRange } from './cache.js';
import { liveFile, serveLivePlaylist } from './live.js';
import { isRevoked, isTrusted, syncRevocations } from './revocations.js';
import { checkClaims, type PlaybackKeyRing, type VerifyResult, verifyPlaybackToken } from './token.js';

const PLAYLIST_TTL = 86_400;
/** A playlist still growing (progressive publish): a new segment comes every few seconds. */
export const GROWING_PLAYLIST_TTL = 2;
const IMMUTABLE_TTL = 31_536_000;
/** Cache keys are URLs on a name that never resolves; the token is never part of them. */
const CACHE_ORIGIN = 'https://playback-cache.vidra.invalid';

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
  const request = {
    ip: clientIp(c),
    country: (c.req.raw as Request & { cf?: { country?: string } }).cf?.country,
  };
  const verdict = await verifyCached(state, ring, token, request);
  if (!verdict.ok) return forbidden(verdict.reason, requestId);
  const { claims } = verdict;
  // Before the cache: a revoked token gets no byte, cached or not.
  const revocation = await checkRevocation(c);
  if (revocation === 'unknown') {
    const res = errorResponse(
      'unavailable',
      'Playback is paused: the edge cannot check revocations',
      requestId,
    );
    res.headers.set('access-control-allow-origin', '*');
    res.headers.set('retry-after', '5');
    return res;
  }
  if (isRevoked(state.revocations, claims)) return forbidden('token revoked', requestId);
  const key = playbackObjectKey(claims.audience, requested);
  if (!key) return forbidden("path outside this video's files", requestId);

  if (!claims.live) return serveObject(c, claims.videoId, claims.version, key);
  // On air: playlists are asked afresh every time; parts and segments are immutable like any file.
  if (isPlaylist(key)) return serveLivePlaylist(c, claims.videoId, key);
  return serveObject(c, claims.videoId, claims.version, key, {
    cacheKey: `${CACHE_ORIGIN}/${claims.videoId}/live/${claims.version}/${key}`,
    load: liveFile(state, claims.videoId, key),
  });
}

/**
 * Refresh the revocation list when due (one origin call per sync interval per isolate, joined by
 * every request meanwhile) and say whether it can be trusted: 'unknown' once it could not be
 * refreshed for longer than the configured bound (fail closed). Deleted videos' cached copies are
 * purged in the background.
 */
export async function checkRevocation(c: Context<EdgeEnv>): Promise<'known' | 'unknown'> {
  const state = c.var.state;
  const timing = state.config.revocations;
  await syncRevocations(
    state.revocations,
    { pool: state.pool, internalApiToken: state.config.internalApiToken ?? '' },
    timing,
    (videoIds) => {
      const purge = Promise.all(videoIds.map((id) => purgeGroup(state.cache, id)));
      background(c, purge);
    },
  );
  return isTrusted(state.revocations, Date.now(), timing) ? 'known' : 'unknown';
}

/** Run `promise` past the response when there is an execution context (unit tests have none). */
function background(c: Context<EdgeEnv>, promise: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(promise);
  } catch {
    void promise.catch(() => {});
  }
}

const VERIFIED_CACHE_SIZE = 10_000;

/**
 * Verify a token, remembering good signatures per isolate: the signature check is the costly part
 * and a player presents the same token for every segment. Expiry, address and country are still
 * checked on every request; a retired key means a new deployment, hence a fresh isolate.
 */
export async function verifyCached(
  state: EdgeEnv['Variables']['state'],
  ring: PlaybackKeyRing,
  token: string,
  request: { ip: string; country: string | undefined },
): Promise<VerifyResult> {
  const known = state.verifiedTokens.get(token);
  if (known) {
    if (known.expiresAt * 1000 <= Date.now()) return { ok: false, reason: 'token expired' };
    return checkClaims(known, request);
  }
  const verdict = await verifyPlaybackToken(ring, token, request);
  if (verdict.ok) {
    if (state.verifiedTokens.size >= VERIFIED_CACHE_SIZE) {
      state.verifiedTokens.delete(state.verifiedTokens.keys().next().value as string);
    }
    state.verifiedTokens.set(token, verdict.claims);
  }
  return verdict;
}

/**
 * How long a VOD playlist may be kept: a day (a republish changes the version, hence the cache
 * key), but seconds while it is still growing, or players would never see the next segments.
 */
export function playlistTtl(object: CachedObject): number {
  return isGrowingPlaylist(new TextDecoder().decode(object.body)) ? GROWING_PLAYLIST_TTL : PLAYLIST_TTL;
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
  const cacheKey = source?.cacheKey ?? `${CACHE_ORIGIN}/${videoId}/${version}/${key}`;
  const { object, hit } = await cachedLoad(
    state.cache,
    cacheKey,
    playlist ? playlistTtl : IMMUTABLE_TTL,
    source?.load ?? (() => media.get(videoObjectKey(videoId, key))),
    (promise) => background(c, promise),
    videoId,
  );
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
