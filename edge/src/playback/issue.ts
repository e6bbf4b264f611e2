import type { Context } from 'hono';
import * as z from 'zod/mini';
import { decideVideoAccess } from '../../../protocol/access.js';
import { HLS_FILES, playbackPath } from '../../../protocol/media.js';
import { WHEP_PATH } from '../../../protocol/webrtc.js';
import { clientIp, type EdgeEnv } from '../context.js';
import { errorResponse } from '../errors.js';
import { playbackClaims } from './claims.js';
import { checkPassword, getPolicy } from './policy.js';
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
  const policy = await getPolicy(state, id, { fresh: true });
  if (!policy) return errorResponse('not_found', 'Video not found', requestId);
  const viewer = c.var.viewer;
  // A suspended owner's videos play for nobody but admins (moderation), and look like no video.
  if (policy.ownerSuspended && viewer?.role !== 'admin')
    return errorResponse('not_found', 'Video not found', requestId);
  const isPasswordGuess = policy.privacy === 'password' && password !== undefined;
  let check: { given: false } | { given: true; matches: boolean } = { given: false };
  if (isPasswordGuess && !(viewer && (viewer.role === 'admin' || viewer.userId === policy.ownerId))) {
    const result = await checkPassword(state, id, password as string, clientIp(c));
    if ('throttled' in result) {
      const retryAfter = result.throttled.headers.get('retry-after') ?? '60';
      const res = errorResponse('too_many_requests', 'Too many wrong passwords. Try again later.', requestId);
      res.headers.set('retry-after', retryAfter);
      return res;
    }
    check = { given: true, matches: result.ok };
  }
  switch (decideVideoAccess(policy, viewer, check)) {
    case 'not_found':
      return errorResponse('not_found', 'Video not found', requestId);
    case 'auth_required':
      return errorResponse('unauthorized', 'Sign in to watch this video', requestId);
    case 'password_required':
      return errorResponse('password_required', 'This video is protected by a password', requestId);
    case 'wrong_password':
      return errorResponse('wrong_password', 'The video password is wrong', requestId);
    case 'allowed':
      break;
  }
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
