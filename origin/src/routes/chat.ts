import { upgradeWebSocket } from '@hono/node-server';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { SESSION_ACCESS_COOKIE } from '../../../protocol/chat.js';
import { viewerOfToken } from '../auth/access-tokens.js';
import { type AppEnv, createRouter, errorBody } from '../lib/http.js';
import { authorizeChat, chatReplay } from '../services/chat/access.js';
import type { ChatClient } from '../services/chat/room.js';

const VideoId = z.string().uuid();

/** The viewer: from `Authorization: Bearer` (checked by `authenticate`), else the browser's session cookie. */
async function chatViewer(c: Context<AppEnv>) {
  const viewer = c.get('viewer');
  if (viewer) return viewer;
  const cookie = getCookie(c, SESSION_ACCESS_COOKIE);
  return cookie ? viewerOfToken(c.get('services').accessTokens, cookie) : undefined;
}

/** Browsers cannot set headers on a WebSocket: the password of a password video may come as `?password=`. */
function videoPassword(c: Context<AppEnv>): string | undefined {
  return c.req.header('x-video-password') ?? c.req.query('password') ?? undefined;
}

/**
 * `GET /api/v1/videos/:id/chat`: the live chat WebSocket (frames in `protocol/chat.ts`). Access is
 * decided before the upgrade, so a refusal is an ordinary JSON error. And the replay's messages.
 */
export function chatRoutes() {
  const app = createRouter();
  app.get(
    '/api/v1/videos/:id/chat',
    async function chatAccess(c, next) {
      const id = VideoId.parse(c.req.param('id'));
      if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
        return c.json(errorBody(c, 'bad_request', 'Open this address as a WebSocket'), 426);
      }
      const viewer = await chatViewer(c);
      const input = { id, viewer, password: videoPassword(c), ip: c.get('clientIp') };
      const { canPost } = await authorizeChat(c.get('services'), input);
      c.set('chatClient' as never, { ...input, canPost } as never);
      await next();
    },
    upgradeWebSocket((c) => {
      const hub = c.get('services').chat;
      const logger = c.get('logger');
      const input = c.get('chatClient' as never) as {
        id: string;
        viewer: ChatClient['viewer'];
        password: string | undefined;
        ip: string;
        canPost: boolean;
      };
      let client: (ChatClient & { sendText(text: string): void }) | undefined;
      let leave: (() => void) | undefined;
      let closed = false;
      // Frames that arrive before the history went out wait for it, in order.
      let joined: Promise<void> = Promise.resolve();
      return {
        onOpen(_event, ws) {
          client = {
            viewer: input.viewer,
            password: input.password,
            ip: input.ip,
            canPost: input.canPost,
            canModerate: false,
            send: (frame) => ws.readyState === 1 && ws.send(JSON.stringify(frame)),
            sendText: (text) => ws.readyState === 1 && ws.send(text),
            close: (code, reason) => ws.close(code, reason),
          };
          const current = client;
          joined = hub.join(input.id, current).then(
            (off: () => void) => {
              if (closed) off();
              else leave = off;
            },
            (error: unknown) => {
              logger.error({ err: error }, 'chat join failed');
              current.send({ type: 'error', code: 'unavailable', message: 'Chat is unavailable right now' });
              ws.close(1011, 'join failed');
            },
          );
        },
        onMessage(event, ws) {
          const current = client;
          if (!current) return;
          if (typeof event.data !== 'string') {
            current.send({ type: 'error', code: 'invalid_frame', message: 'Frames are JSON text' });
            return;
          }
          const data = event.data;
          joined = joined
            .then(() => hub.receive(input.id, current, data))
            .catch((error: unknown) => {
              logger.error({ err: error }, 'chat frame failed');
              if (ws.readyState !== 1) return;
            });
        },
        onClose() {
          closed = true;
          leave?.();
        },
      };
    }),
  );
  app.get('/api/v1/videos/:id/chat/messages', async (c) => {
    const id = VideoId.parse(c.req.param('id'));
    const page = await chatReplay(c.get('services'), {
      id,
      viewer: await chatViewer(c),
      password: videoPassword(c),
      ip: c.get('clientIp'),
      query: c.req.query(),
    });
    return c.json(page, 200);
  });
  return app;
}
