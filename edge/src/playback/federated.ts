import type { Context } from 'hono';
import { isFederated } from '../../../protocol/activitypub/audience.js';
import { hlsKey, type PlaybackAudience, playbackPath } from '../../../protocol/media.js';
import { clientIp, type EdgeEnv } from '../context.js';
import { errorResponse } from '../errors.js';
import { playbackClaims } from './claims.js';
import { decideAccessAtEdge } from './decide.js';
import { mintPlaybackToken } from './token.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Anyone may read these, from any page: remote instances' players open them. */
const CORS = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };

/**
 * `GET /videos/watch/:uuid/media/<file>`: the stable media URLs a federated `Video` lists (its HLS
 * master, rendition playlists and thumbnail, `AP_PATHS.videoMedia`). Remote players cannot ask us
 * for playback tokens, so this decides access as for a signed-out viewer, public and unlisted
 * videos only, and redirects to a freshly signed `/play/...` URL; relative URIs inside a playlist
 * resolve against where the redirect led, so the whole ladder plays under that one token.
 */
export function serveFederatedMedia(c: Context<EdgeEnv>): Promise<Response> {
  return redirectToSignedMedia(c, c.req.param('uuid') ?? '', c.req.param('file') ?? '');
}

/**
 * The redirect of `serveFederatedMedia` for `file` (relative to the video's HLS folder) of video
 * `id`, decided as for a signed-out viewer; also answers PeerTube's image paths (peertube/images.ts).
 */
export async function redirectToSignedMedia(
  c: Context<EdgeEnv>,
  id: string,
  file: string,
): Promise<Response> {
  const state = c.var.state;
  const requestId = c.var.requestId;
  const refuse = () => {
    const res = errorResponse('not_found', 'No such federated media', requestId);
    for (const [name, value] of Object.entries(CORS)) res.headers.set(name, value);
    return res;
  };
  if (!UUID.test(id)) return refuse();
  const audience: PlaybackAudience | undefined = playbackPath('thumbnail', hlsKey(file))
    ? 'thumbnail'
    : playbackPath('hls', hlsKey(file))
      ? 'hls'
      : undefined;
  const ring = state.playbackKeys ? await state.playbackKeys : undefined;
  if (!audience || !ring) return refuse();
  const decided = await decideAccessAtEdge(c, id, undefined, undefined);
  if (decided instanceof Response) return refuse();
  const { policy } = decided;
  if (!isFederated(policy.privacy) || policy.live || !policy.assets) return refuse();
  const now = Date.now();
  const claims = playbackClaims({
    playback: state.config.playback,
    video: { id, version: policy.assets.version, revocation: policy.revocation, live: false },
    audience,
    now,
    ip: clientIp(c),
  });
  const token = await mintPlaybackToken(ring, claims, now);
  const base = `${state.config.publicUrl ?? new URL(c.req.url).origin}/play`;
  for (const [name, value] of Object.entries(CORS)) c.header(name, value);
  return c.redirect(`${base}/${token}/${file}`, 302);
}
