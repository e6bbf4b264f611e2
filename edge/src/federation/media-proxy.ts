import type { Context } from 'hono';
import { playlistUris, rewritePlaylist } from '../../../protocol/federation/hls-rewrite.js';
import {
  isPrivateHost,
  proxiedMediaPath,
  verifiedMediaUrl,
} from '../../../protocol/federation/media-proxy.js';
import { isPlaylist } from '../../../protocol/media.js';
import type { EdgeEnv } from '../context.js';
import { errorResponse } from '../errors.js';
import { cachedLoad } from '../playback/cache.js';
import { background } from '../playback/objects.js';

const CACHE_ORIGIN = 'https://federation-media.vidra.invalid';
/** Playlists may be live: kept briefly. Thumbnails and segments do not change under one URL. */
const PLAYLIST_TTL = 5;
const MEDIA_TTL = 86_400;
/** Larger files (PeerTube's whole-rendition fMP4) are only served by range, streamed, uncached. */
const MAX_CACHED_BYTES = 32 * 1024 * 1024;
const UPSTREAM_TIMEOUT_MS = 10_000;

/** What a peer may hand a viewer through us: media and playlists, never HTML or SVG (scripts). */
const MEDIA_TYPES =
  /^(image\/(jpeg|png|webp|gif|avif)|video\/[\w.+-]+|audio\/[\w.+-]+|application\/(vnd\.apple\.mpegurl|x-mpegurl|mp4|octet-stream))$/;
const PLAYLIST_TYPES = /^(application\/(vnd\.apple\.mpegurl|x-mpegurl)|audio\/mpegurl)$/;

const mediaTypeOf = (response: Response) =>
  (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

function fetchUpstream(url: string, range?: string): Promise<Response> {
  return fetch(url, {
    headers: { accept: '*/*', ...(range ? { range } : {}) },
    // A redirect could lead anywhere, a private address included: refused, not followed.
    redirect: 'manual',
    signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
  });
}

/**
 * `GET /federation/media/<signature>/<base64url(url)>`: a remote thumbnail, playlist or segment of
 * a federated peer, fetched by the edge so the viewer never contacts the peer. Only URLs signed
 * with `FEDERATION_MEDIA_PROXY_SECRET` pass (the origin signs its known peers' media; this edge
 * signs what their playlists refer to), so it is no open proxy; private and loopback addresses are
 * refused unless `FEDERATION_MEDIA_PROXY_PRIVATE`. Whole objects are cached (Cache API, collapsed
 * per isolate); playlists are rewritten so every URL inside them comes back here.
 */
export async function serveMediaProxy(c: Context<EdgeEnv>): Promise<Response> {
  const requestId = c.var.requestId;
  const proxy = c.var.config.mediaProxy;
  if (!proxy) return errorResponse('not_found', 'Not found', requestId);
  const url = await verifiedMediaUrl(proxy.secret, c.req.param('signature') ?? '', c.req.param('url') ?? '');
  if (!url) return errorResponse('forbidden', 'This media URL is not signed by this instance', requestId);
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return errorResponse('forbidden', 'Not a media URL', requestId);
  }
  const local = isPrivateHost(target.hostname);
  if (
    !['https:', 'http:'].includes(target.protocol) ||
    (target.protocol === 'http:' && !proxy.allowPrivate) ||
    (local && !proxy.allowPrivate) ||
    target.username ||
    target.password
  ) {
    return errorResponse('forbidden', 'This media URL may not be proxied', requestId);
  }
  const isPlaylistPath = isPlaylist(target.pathname);
  const range = c.req.header('range');
  if (range && !isPlaylistPath) return passThroughRange(c, target.href, range);

  const { object, hit } = await cachedLoad(
    c.var.state.cache,
    `${CACHE_ORIGIN}/${encodeURIComponent(target.href)}`,
    isPlaylistPath ? PLAYLIST_TTL : MEDIA_TTL,
    async () => {
      const upstream = await fetchUpstream(target.href).catch(() => new Response(null, { status: 502 }));
      const size = Number(upstream.headers.get('content-length') ?? 0);
      if (size > MAX_CACHED_BYTES) {
        await upstream.body?.cancel();
        return new Response(null, { status: 413 });
      }
      return upstream;
    },
    (promise) => background(c, promise),
  );
  if (object.status === 413) return passThroughRange(c, target.href, undefined);
  if (object.status === 404 || object.status === 410)
    return errorResponse('not_found', 'The peer has no such file', requestId);
  if (object.status !== 200)
    return errorResponse('bad_gateway', 'The peer did not deliver the file', requestId);
  const type = (object.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!MEDIA_TYPES.test(type))
    return errorResponse('bad_gateway', 'The peer answered with no media', requestId);

  const headers = mediaHeaders(type, isPlaylistPath || PLAYLIST_TYPES.test(type) ? PLAYLIST_TTL : MEDIA_TTL);
  headers.set('x-vidra-cache', hit ? 'HIT' : 'MISS');
  if (isPlaylistPath || PLAYLIST_TYPES.test(type)) {
    const text = new TextDecoder().decode(object.body);
    const proxied = new Map<string, string>();
    for (const uri of playlistUris(text, target.href)) {
      if (/^https?:/.test(uri)) proxied.set(uri, await proxiedMediaPath(proxy.secret, uri));
    }
    headers.set('content-type', 'application/vnd.apple.mpegurl');
    return new Response(rewritePlaylist(text, target.href, proxied), { status: 200, headers });
  }
  return new Response(object.body, { status: 200, headers });
}

function mediaHeaders(type: string, ttl: number): Headers {
  return new Headers({
    'content-type': type,
    'cache-control': `public, max-age=${ttl}`,
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'content-length, content-range, x-vidra-cache',
    // Whatever a peer sends, it never runs as a page of ours.
    'content-security-policy': "default-src 'none'; sandbox",
  });
}

/** A ranged (or too large to cache) request: streamed from the peer as it answers, not stored. */
async function passThroughRange(c: Context<EdgeEnv>, url: string, range: string | undefined) {
  const upstream = await fetchUpstream(url, range).catch(() => undefined);
  if (!upstream || (upstream.status !== 200 && upstream.status !== 206)) {
    await upstream?.body?.cancel();
    return errorResponse('bad_gateway', 'The peer did not deliver the file', c.var.requestId);
  }
  const type = mediaTypeOf(upstream);
  if (!MEDIA_TYPES.test(type)) {
    await upstream.body?.cancel();
    return errorResponse('bad_gateway', 'The peer answered with no media', c.var.requestId);
  }
  const headers = mediaHeaders(type, MEDIA_TTL);
  for (const name of ['content-length', 'content-range', 'accept-ranges']) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  headers.set('x-vidra-cache', 'BYPASS');
  return new Response(upstream.body, { status: upstream.status, headers });
}
