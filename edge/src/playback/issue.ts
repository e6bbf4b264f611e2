import type { Context } from 'hono';
import * as z from 'zod/mini';
import { HLS_FILES, playbackPath } from '../../../protocol/media.js';
import { WHEP_PATH } from '../../../protocol/webrtc.js';
import { clientIp, type EdgeEnv } from '../context.js';
import { errorResponse } from '../errors.js';
import { playbackClaims } from './claims.js';
import { decideAccessAtEdge } from './decide.js';
import { type Audience, mintPlaybackToken } from './token.js';

/** Where a live video's playback starts: the origin renders one multivariant playlist per stream. */
const LIVE_MASTER = HLS_FILES.master;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The optional JSON body of a playback request; a body that is not JSON at all counts as empty. */
const PlaybackRequestSchema = z.object({ password: z.optional(z.string().check(z.maxLength(200))) });

/**
 * `POST /api/v1/videos/:id/playback`: decide at the edge whether the caller may watch, then hand
 * out signed, expiring URLs (`live: true` for a video on air, whose files the edge reads from the
 * origins' live route). Body (optional): `{ "password": "..." }` for password videos.
 */
export async function issuePlayback(c: Context<EdgeEnv>): Promise<Response> {
  const state = c.var.state;
  const requestId = c.var.requestId;
  const id = c.req.param('id') ?? '';
  if (!UUID.test(id)) return errorResponse('validation_failed', 'Not a video id', requestId);
  const ring = state.playbackKeys ? await state.playbackKeys : undefined;
  if (!ring || !state.config.internalApiToken) {
    return errorResponse('unavailable', 'Playback is not configured on this edge', requestId);
  }
  let password: string | undefined;
  if (c.req.header('content-type')?.includes('application/json')) {
    const body = PlaybackRequestSchema.safeParse(await c.req.json().catch(() => ({})));
    if (!body.success) return errorResponse('validation_failed', 'password must be a string', requestId);
    password = body.data.password;
  }

  // Always asked afresh (one internal call per issuance): a deleted video, or one whose owner was
  // just suspended, gets no new token, with no cache window.
  const decided = await decideAccessAtEdge(c, id, password);
  if (decided instanceof Response) return decided;
  const { policy } = decided;
  const { assets, live } = policy;
  // A live video plays from the origins' live route (its master always has the one name); a VOD's
  // master must be a file the edge could serve, or it is as unplayable as none at all.
  const master = live ? LIVE_MASTER : assets && playbackPath('hls', assets.master);
  const version = live ? live.version : assets?.version;
  if (!master || version === undefined)
    return errorResponse('conflict', `This video is not playable yet (it is ${policy.state})`, requestId);

  const now = Date.now();
  const video = { id, version, revocation: policy.revocation, live: Boolean(live) };
  // The configured public URL, never the Host header, unless none is configured (dev, tests).
  const base = `${state.config.publicUrl ?? new URL(c.req.url).origin}/play`;
  const claims = (audience: Audience) =>
    playbackClaims({ playback: state.config.playback, video, audience, now, ip: clientIp(c) });
  const mint = (audience: Audience) => mintPlaybackToken(ring, claims(audience), now);
  /** The signed URL of `key` for `audience`, or null when there is no such file (or it is on air). */
  const url = async (audience: Audience, key: string | undefined) => {
    const path = key === undefined || live ? undefined : playbackPath(audience, key);
    return path ? `${base}/${await mint(audience)}/${path}` : null;
  };
  const { expiresAt } = claims('hls');
  const hlsToken = await mint('hls');
  const origin = state.config.publicUrl ?? new URL(c.req.url).origin;
  const body = {
    hls: `${base}/${hlsToken}/${master}`,
    // WHEP (issue 12) takes the same token: same privacy rules, address binding and revocations.
    whep: live && state.config.webrtcNodes.length ? `${origin}${WHEP_PATH}/${hlsToken}` : null,
    live: video.live,
    thumbnail: await url('thumbnail', assets?.thumbnail),
    storyboard: await url('storyboard', assets?.storyboardVtt),
    expiresAt: new Date(expiresAt * 1000).toISOString(),
  };
  return c.json(body, 200, { 'cache-control': 'no-store' });
}
