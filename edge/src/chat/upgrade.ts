import type { Context } from 'hono';
import { clientIp, type EdgeEnv } from '../context.js';
import { errorResponse } from '../errors.js';
import { decideAccessAtEdge } from '../playback/decide.js';
import { upstreamHeaders, upstreamUrl } from '../proxy.js';
import { getSession } from '../web/session.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * `GET /api/v1/videos/:id/chat` with `Upgrade: websocket` (issue 11): the edge authenticates the
 * upgrade (a bearer JWT, already verified by `verifyAccessToken`, or the browser's session cookie),
 * decides from the video's access policy whether the caller may see it, and only then passes the
 * socket through to an origin, the caller's token as `Authorization`. A caller who may not see the
 * video never reaches an origin's chat. Frames are not parsed here: the origin validates them.
 */
export async function chatUpgrade(
  c: Context<EdgeEnv>,
  next: () => Promise<void>,
): Promise<Response | undefined> {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return next().then(() => undefined);
  const requestId = c.var.requestId;
  const id = c.req.param('id') ?? '';
  if (!UUID.test(id)) return errorResponse('validation_failed', 'Not a video id', requestId);
  let token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  let viewer = c.var.viewer;
  if (!token) {
    const session = await getSession(c);
    token = session.token;
    viewer = session.viewer;
  }
  const password = c.req.header('x-video-password') ?? c.req.query('password');
  const decided = await decideAccessAtEdge(c, id, password, viewer);
  if (decided instanceof Response) return decided;

  const incoming = new URL(c.req.url);
  const headers = upstreamHeaders(c.req.raw, incoming, {
    requestId,
    clientIp: clientIp(c),
    edgeToken: c.var.config.internalApiToken,
  });
  // The session cookies are the edge's; the origin hears the token as a bearer. workerd runs its
  // own handshake with the origin, so the client's Sec-WebSocket-* headers stay behind.
  headers.delete('cookie');
  for (const name of [...headers.keys()]) if (name.startsWith('sec-websocket-')) headers.delete(name);
  if (token) headers.set('authorization', `Bearer ${token}`);
  headers.set('upgrade', 'websocket');
  let lastError: unknown;
  for (const origin of c.var.state.pool.candidates()) {
    try {
      const res = await fetch(upstreamUrl(incoming, origin), { headers });
      if (res.webSocket) {
        c.var.state.pool.markUp(origin);
        return new Response(null, { status: 101, webSocket: res.webSocket });
      }
      if (res.status < 500) return new Response(res.body, res);
      c.var.state.pool.markDown(origin);
      lastError = new Error(`origin answered ${res.status}`);
    } catch (error) {
      c.var.state.pool.markDown(origin);
      lastError = error;
    }
  }
  console.error(JSON.stringify({ msg: 'chat upgrade failed', requestId, error: String(lastError) }));
  return errorResponse('bad_gateway', 'No origin took the chat connection', requestId);
}
