import type { Context } from 'hono';
import { HLS_FILES, hlsKey, type PeertubeHlsFile } from '../../../protocol/media.js';
import { fragmentedParts, rebaseMediaPlaylist, variantUriForHeight } from '../../../protocol/peertube.js';
import type { EdgeEnv } from '../context.js';
import { errorResponse } from '../errors.js';
import { sliceRange } from '../playback/cache.js';
import { loadPublished, serveObject } from '../playback/objects.js';

/** The body of one published file of the video, through the edge cache (undefined when absent). */
async function load(c: Context<EdgeEnv>, videoId: string, version: number, key: string) {
  const media = c.var.state.media;
  if (!media) return undefined;
  const { object } = await loadPublished(c, media, videoId, version, key);
  return object.status === 200 ? object.body : undefined;
}

const notFound = (c: Context<EdgeEnv>) =>
  errorResponse('not_found', 'No such file for this video', c.var.requestId);

/** The rendition folder (`<rendition>/`) of the variant of `height`, from the master playlist. */
async function renditionOf(c: Context<EdgeEnv>, videoId: string, version: number, height: number) {
  const master = await load(c, videoId, version, hlsKey(HLS_FILES.master));
  const uri = master && variantUriForHeight(new TextDecoder().decode(master), height);
  const slash = uri?.lastIndexOf('/') ?? -1;
  return uri && slash > 0 ? { folder: uri.slice(0, slash + 1), playlist: uri } : undefined;
}

/**
 * Serve a PeerTube-style name (docs/adr/0022-peertube-read-api.md) of an authorized VOD token:
 * the master as stored; `<uuid>-<height>.m3u8` as the variant's media playlist with its URIs
 * rebased onto the rendition folder; `<uuid>-<height>-fragmented.mp4` as the variant's init
 * segment and every media segment joined into one fMP4 file, with Range. Each part comes from the
 * edge cache, so the joined file costs no storage read once its segments were played.
 */
export async function servePeertubeHls(
  c: Context<EdgeEnv>,
  claims: { videoId: string; version: number },
  file: PeertubeHlsFile,
): Promise<Response> {
  const { videoId, version } = claims;
  if (file.kind === 'master') return serveObject(c, videoId, version, hlsKey(HLS_FILES.master));
  const rendition = await renditionOf(c, videoId, version, file.height);
  if (!rendition) return notFound(c);
  const media = await load(c, videoId, version, hlsKey(rendition.playlist));
  if (!media) return notFound(c);
  const text = new TextDecoder().decode(media);
  const headers = new Headers({
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'content-length, content-range',
    'cache-control': 'public, max-age=60',
  });
  if (file.kind === 'variant') {
    headers.set('content-type', 'application/vnd.apple.mpegurl');
    const body = rebaseMediaPlaylist(text, rendition.folder);
    return new Response(c.req.method === 'HEAD' ? null : body, { status: 200, headers });
  }
  const parts = fragmentedParts(text);
  if (!parts) return notFound(c);
  const bodies = await Promise.all(
    parts.map((part) => load(c, videoId, version, hlsKey(`${rendition.folder}${part}`))),
  );
  if (bodies.some((b) => b === undefined))
    return errorResponse('bad_gateway', 'Storage did not deliver a segment', c.var.requestId);
  const whole = join(bodies as ArrayBuffer[]);
  headers.set('content-type', 'video/mp4');
  headers.set('accept-ranges', 'bytes');
  headers.set('cache-control', 'public, max-age=31536000, immutable');
  const range = sliceRange(c.req.header('range') ?? null, whole.byteLength);
  if (range === 'unsatisfiable') {
    headers.set('content-range', `bytes */${whole.byteLength}`);
    return new Response(null, { status: 416, headers });
  }
  const body = range ? whole.slice(range.start, range.end + 1) : whole;
  headers.set('content-length', String(body.byteLength));
  if (range) headers.set('content-range', `bytes ${range.start}-${range.end}/${whole.byteLength}`);
  return new Response(c.req.method === 'HEAD' ? null : body, { status: range ? 206 : 200, headers });
}

function join(parts: ArrayBuffer[]): ArrayBuffer {
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  return out.buffer;
}
