import type { Context } from 'hono';
import * as z from 'zod/mini';
import { peertubeStreamingPlaylists } from '../../../protocol/peertube.js';
import { PRIVACY_LEVELS, VIDEO_STATES } from '../../../protocol/video-enums.js';
import { clientIp, type EdgeEnv } from '../context.js';
import { playbackClaims } from '../playback/claims.js';
import { getPolicy } from '../playback/policy.js';
import { mintPlaybackToken } from '../playback/token.js';
import { proxyToOrigin } from '../proxy.js';
import { fetchWithFailover } from '../routing.js';

/** What the edge reads of the origin's video JSON to sign its streams; the rest passes as is. */
const SignableVideoMiniSchema = z.object({
  id: z.uuid(),
  privacyName: z.enum(PRIVACY_LEVELS),
  state: z.enum(VIDEO_STATES),
  renditions: z.optional(z.array(z.object({ width: z.int(), height: z.int(), bitrate: z.int() }))),
});

/**
 * How long an anonymous answer is reused in this isolate: the access policy it was signed from is
 * cached as long (playback/policy.ts), and revocations reach its token on their own (ADR 4).
 */
const SHARED_TTL_MS = 10_000;
const SHARED_ANSWERS = 10_000;

/** Only these get streams in their JSON: PeerTube clients cannot send a password or a session. */
const SIGNED_PRIVACIES = new Set(['public', 'unlisted']);

/**
 * `GET /api/v1/videos/:uuid` through the edge (docs/adr/0022-peertube-read-api.md): the origin's
 * JSON, with `streamingPlaylists` filled in for a ready public or unlisted video. Their URLs carry
 * an `hls` playback token in the path, minted from the cached access policy (the way list
 * thumbnails are), and use the PeerTube-style names NewPipe's derivation keeps intact. Anything
 * else (errors, private videos, videos still processing) is the origin's answer unchanged.
 * Anonymous 200s are reused for 10 s per isolate ("cached by the edge"): a PeerTube client's every
 * open of a video is this request, and its tokens outlive the reuse by far.
 */
export async function peertubeVideoJson(c: Context<EdgeEnv>): Promise<Response> {
  const state = c.var.state;
  const id = c.req.param('id') ?? '';
  // Anonymous answers are the same for everyone unless tokens are bound to the client's address.
  const shareable = !c.var.viewer && !c.req.header('x-video-password') && !state.config.playback.bindIp;
  const cached = shareable ? state.peertubeVideos.get(id) : undefined;
  if (cached && cached.until > Date.now())
    return c.body(cached.body, 200, {
      'content-type': 'application/json',
      'cache-control': 'public, max-age=10',
    });
  const answer = (json: Record<string, unknown>) => {
    const body = JSON.stringify(json);
    if (!shareable)
      return c.body(body, 200, { 'content-type': 'application/json', 'cache-control': 'private, no-store' });
    if (state.peertubeVideos.size >= SHARED_ANSWERS)
      state.peertubeVideos.delete(state.peertubeVideos.keys().next().value as string);
    state.peertubeVideos.set(id, { body, until: Date.now() + SHARED_TTL_MS });
    return c.body(body, 200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=10' });
  };
  const res = await fetchWithFailover(state.pool, 'GET', (origin) =>
    proxyToOrigin(c.req.raw, {
      origin,
      requestId: c.var.requestId,
      clientIp: clientIp(c),
      edgeToken: state.config.internalApiToken,
    }),
  );
  if (res.status !== 200) return res;
  const body = (await res.json()) as Record<string, unknown>;
  const video = SignableVideoMiniSchema.safeParse(body);
  if (!video.success || !SIGNED_PRIVACIES.has(video.data.privacyName) || video.data.state !== 'ready')
    return answer(body);
  const ring = await state.playbackKeys?.catch(() => undefined);
  if (!ring || !state.config.internalApiToken) return answer(body);
  const policy = await getPolicy(state, video.data.id);
  if (!policy?.assets || policy.ownerSuspended) return answer(body);

  const now = Date.now();
  const claims = playbackClaims({
    playback: state.config.playback,
    video: { id: video.data.id, version: policy.assets.version, revocation: policy.revocation },
    audience: 'hls',
    now,
    ip: clientIp(c),
  });
  const token = await mintPlaybackToken(ring, claims, now);
  const base = `${state.config.publicUrl ?? new URL(c.req.url).origin}/play/${token}`;
  return answer({
    ...body,
    streamingPlaylists: peertubeStreamingPlaylists(base, video.data.id, video.data.renditions ?? []),
  });
}
