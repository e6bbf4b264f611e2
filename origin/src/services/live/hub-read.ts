import { decideReload, parseReloadQuery, reloadTimeoutMs } from '../../../../protocol/live-hls/blocking.js';
import { renderMultivariantPlaylist } from '../../../../protocol/live-hls/multivariant.js';
import {
  type RenditionReport,
  renderMediaPlaylist,
  renditionReportOf,
} from '../../../../protocol/live-hls/playlist.js';
import {
  contentTypeOf,
  HLS_FILES,
  hlsFileKind,
  hlsKey,
  renditionFile,
  videoObjectKey,
} from '../../../../protocol/media.js';
import { NotFoundError, ServiceError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import type { LiveStream } from './hub.js';
import type { RenditionBuffer } from './rendition-buffer.js';

/**
 * Caching of what the hub serves. Parts, segments and init segments are immutable (ADR 10). A
 * plain playlist changes with every part, so it is never cached. A blocking reload's answer is
 * the same for everyone asking that `_HLS_msn`/`_HLS_part` and stays true, so the edge and CDNs
 * may share it for a second (short, so an `EXT-X-ENDLIST` is not hidden for long).
 */
export const LIVE_CACHE_CONTROL = {
  immutable: 'public, max-age=31536000, immutable',
  playlist: 'no-store',
  blockingPlaylist: 'public, max-age=1',
} as const;

export interface LiveHlsAnswer {
  body: string | Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>;
  contentType: string;
  cacheControl: string;
}

const notLive = () => new NotFoundError('Live stream on this origin');
const noFile = () => new ServiceError('not_found', 'No such live file');

/**
 * A file of a live video's HLS folder, for the edge: the multivariant playlist, a rendition's
 * LL-HLS playlist (blocking reloads held here), parts from memory, init segments and segments
 * from memory or storage. 404 when the video is not live on this origin.
 */
export async function readLiveHls(
  ctx: ServiceContext,
  input: { videoId: string; path: string; query: URLSearchParams },
): Promise<LiveHlsAnswer> {
  const stream = ctx.liveHub.stream(input.videoId);
  if (!stream) throw notLive();
  if (input.path === HLS_FILES.master) return masterPlaylist(stream);
  const slash = input.path.indexOf('/');
  const name = input.path.slice(0, slash);
  const file = input.path.slice(slash + 1);
  const kind = slash > 0 ? hlsFileKind(name, file) : undefined;
  const rendition = stream.renditions.get(name);
  if (!kind || !rendition) throw noFile();
  if (kind === 'playlist') return mediaPlaylist(stream, name, rendition, input.query);
  const immutable = (body: LiveHlsAnswer['body']) => ({
    body,
    contentType: contentTypeOf(file),
    cacheControl: LIVE_CACHE_CONTROL.immutable,
  });
  const held = rendition.get(kind, file);
  if (held) return immutable(held);
  if (kind === 'part') {
    // Apple's spec: a request for the hinted part is held until the part exists.
    if (!rendition.expects(file)) throw noFile();
    const bytes = await rendition.waitFor(file, reloadTimeoutMs(rendition.state));
    if (!bytes) throw noFile();
    return immutable(bytes);
  }
  const key = videoObjectKey(input.videoId, hlsKey(renditionFile(name, file)));
  const stored = await ctx.storage.get(key);
  if (!stored) throw noFile();
  return immutable(stored.body);
}

function masterPlaylist(stream: LiveStream): LiveHlsAnswer {
  const variants = [...stream.renditions.values()].flatMap((r) => (r.variant ? [r.variant] : []));
  if (variants.length === 0) throw notLive();
  return {
    body: renderMultivariantPlaylist(variants, HLS_FILES.mediaPlaylist),
    contentType: contentTypeOf(HLS_FILES.master),
    cacheControl: LIVE_CACHE_CONTROL.playlist,
  };
}

async function mediaPlaylist(
  stream: LiveStream,
  name: string,
  rendition: RenditionBuffer,
  query: URLSearchParams,
): Promise<LiveHlsAnswer> {
  if (!rendition.variant) throw noFile();
  const parsed = parseReloadQuery(query);
  if (!parsed.ok) throw new ServiceError('bad_request', parsed.reason);
  const decision = decideReload(rendition.state, parsed.request);
  if (decision.action === 'refuse') throw new ServiceError('bad_request', decision.reason);
  const state = decision.action === 'answer' ? rendition.state : await rendition.reloads.wait(parsed.request);
  if (!state) throw new ServiceError('unavailable', 'The requested part did not arrive in time');
  const reports: RenditionReport[] = [];
  for (const [other, buffer] of stream.renditions) {
    if (other === name || !buffer.variant) continue;
    const report = renditionReportOf(buffer.state, `../${other}/${HLS_FILES.mediaPlaylist}`);
    if (report) reports.push(report);
  }
  return {
    body: renderMediaPlaylist(state, { skip: parsed.request.skip, renditionReports: reports }),
    contentType: contentTypeOf(HLS_FILES.mediaPlaylist),
    cacheControl:
      parsed.request.msn === undefined ? LIVE_CACHE_CONTROL.playlist : LIVE_CACHE_CONTROL.blockingPlaylist,
  };
}
