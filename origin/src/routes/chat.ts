import { upgradeWebSocket } from '@hono/node-server';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { ChatMessagesPageSchema, SESSION_ACCESS_COOKIE } from '../../../protocol/chat.js';
import { viewerOfToken } from '../auth/access-tokens.js';
import { requireViewer } from '../auth/middleware.js';
import { type AppEnv, bearerSecurity, createRouter, errorBody, errorResponses } from '../lib/http.js';
import { authorizeChat, chatReplay } from '../services/chat/access.js';
import { addChatModerator, listChatModerators, removeChatModerator } from '../services/chat/moderators.js';
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
    async function upgradeOnly(c, next) {
      VideoId.parse(c.req.param('id'));
      if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
        return c.json(errorBody(c, 'bad_request', 'Open this address as a WebSocket'), 426);
      }
      await next();
    },
    // Runs before the upgrade: a refusal thrown here is an ordinary JSON error response.
    upgradeWebSocket(async (c) => {
      const hub = c.get('services').chat;
      const logger = c.get('logger');
      const viewer = await chatViewer(c);
      const input = {
        id: VideoId.parse(c.req.param('id')),
        viewer,
        password: videoPassword(c),
        ip: c.get('clientIp'),
      };
      const { canPost } = await authorizeChat(c.get('services'), input);
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
            canPost,
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
  documentChatRoutes(app);
  const moderators = '/api/v1/channels/:handle/chat/moderators';
  app.get(moderators, async (c) =>
    c.json(await listChatModerators(c.get('services'), requireViewer(c), c.req.param('handle')), 200),
  );
  app.put(`${moderators}/:username`, async (c) =>
    c.json(await addChatModerator(c.get('services'), requireViewer(c), c.req.param()), 200),
  );
  app.delete(`${moderators}/:username`, async (c) =>
    c.json(await removeChatModerator(c.get('services'), requireViewer(c), c.req.param()), 200),
  );
  return app;
}

const ModeratorsSchema = z.array(
  z.object({ userId: z.string().uuid(), username: z.string(), since: z.string() }),
);

/** The chat routes are plain Hono handlers (one is a WebSocket upgrade); their documentation is registered here. */
function documentChatRoutes(app: ReturnType<typeof createRouter>) {
  const id = z.object({ id: z.string().uuid() });
  const moderator = z.object({ handle: z.string(), username: z.string() });
  const moderators = {
    200: { description: 'The moderators', content: { 'application/json': { schema: ModeratorsSchema } } },
  };
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/v1/videos/{id}/chat',
    tags: ['chat'],
    summary: 'Live chat WebSocket (send Upgrade: websocket); frames in protocol/chat.ts',
    request: { params: id },
    responses: {
      101: { description: 'Switching to the chat WebSocket' },
      ...errorResponses(400, 401, 403, 404),
    },
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/v1/videos/{id}/chat/messages',
    tags: ['chat'],
    summary: 'Chat messages in offset order, for the replay',
    request: {
      params: id,
      query: z.object({ fromOffsetMs: z.string().optional(), limit: z.string().optional() }),
    },
    responses: {
      200: { description: 'A page', content: { 'application/json': { schema: ChatMessagesPageSchema } } },
      ...errorResponses(400, 401, 403, 404),
    },
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/v1/channels/{handle}/chat/moderators',
    tags: ['chat'],
    summary: "The channel's chat moderators (owner or admin)",
    security: bearerSecurity,
    request: { params: z.object({ handle: z.string() }) },
    responses: { ...moderators, ...errorResponses(401, 403, 404) },
  });
  for (const method of ['put', 'delete'] as const) {
    app.openAPIRegistry.registerPath({
      method,
      path: '/api/v1/channels/{handle}/chat/moderators/{username}',
      tags: ['chat'],
      summary: method === 'put' ? 'Name a chat moderator (owner or admin)' : 'Remove a chat moderator',
      security: bearerSecurity,
      request: { params: moderator },
      responses: { ...moderators, ...errorResponses(401, 403, 404) },
    });
  }
}
