import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { createApp } from '../../origin/src/app.js';
import { createLogger } from '../../origin/src/lib/logger.js';
import { chatAccessSubscriber } from '../../origin/src/services/chat/revocations.js';
import { createOutboxDispatcher } from '../../origin/src/services/outbox/dispatcher.js';
import { createTestApp, TEST_CONFIG } from '../../origin/test/harness.js';

type App = ReturnType<typeof createApp>['app'];

/** Serve an origin app on a loopback port with the WebSocket server `main.ts` gives it. */
export async function serveWithSockets(app: App) {
  const websockets = new WebSocketServer({ noServer: true });
  const server = serve({
    fetch: app.fetch,
    hostname: '127.0.0.1',
    port: 0,
    websocket: { server: websockets },
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async close() {
      for (const ws of websockets.clients) ws.terminate();
      websockets.close();
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Two origins on one real PostgreSQL database, their chat joined through `redisUrl` (in-process
 * when absent, for one origin): what N origins behind a load balancer look like, in one process.
 */
export async function startTwoOrigins(redisUrl: string | undefined) {
  const chat = redisUrl ? { redisUrl } : {};
  const a = await createTestApp('postgres', { chat });
  const b = createApp({
    db: a.database.db,
    logger: createLogger('silent'),
    config: { ...TEST_CONFIG, chat },
    storage: a.storage,
    uploadStagingDir: a.uploadStagingDir,
  });
  const [serverA, serverB] = await Promise.all([serveWithSockets(a.app), serveWithSockets(b.app)]);
  // The outbox delivery main.ts runs, reduced to the chat's subscriber; tests drain it by hand.
  const outbox = createOutboxDispatcher({
    db: a.database.db,
    logger: createLogger('silent'),
    subscribers: [chatAccessSubscriber(a.services)],
  });
  return {
    ...a,
    urlA: serverA.url,
    urlB: serverB.url,
    servicesB: b.services,
    outbox,
    async close() {
      await Promise.all([serverA.close(), serverB.close()]);
      await b.services.chat.close();
      b.services.liveReconnects.stop();
      b.services.liveHub.stop();
      await b.services.views.stop();
      await a.close();
    },
  };
}
