import type { Context } from 'hono';
import { isPlaylist, peertubeHlsFile, playbackObjectKey } from '../../../protocol/media.js';
import { clientIp, type EdgeEnv } from '../context.js';
import { errorResponse } from '../errors.js';
import { servePeertubeHls } from '../peertube/hls.js';
import { purgeGroup } from './cache.js';
import { liveFile, serveLivePlaylist } from './live.js';
import { background, serveObject } from './objects.js';
import { isRevoked, isTrusted, syncRevocations } from './revocations.js';
import { checkClaims, type PlaybackKeyRing, type VerifyResult, verifyPlaybackToken } from './token.js';

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
  const peertube =
    claims.audience === 'hls' && !claims.live ? peertubeHlsFile(claims.videoId, requested) : undefined;
  if (peertube) return servePeertubeHls(c, claims, peertube);
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

export { GROWING_PLAYLIST_TTL, playlistTtl, serveObject } from './objects.js';
