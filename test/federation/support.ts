import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { freePort } from '../../bench/edge/load.js';
import { createLogger } from '../../origin/src/lib/logger.js';
import { startDeliveryWorker } from '../../origin/src/services/federation/deliver.js';
import { remoteInteractionsSubscriber } from '../../origin/src/services/federation/remote-subscriber.js';
import { federationSubscriber } from '../../origin/src/services/federation/subscriber.js';
import { createOutboxDispatcher } from '../../origin/src/services/outbox/dispatcher.js';
import { OUTBOX_CHANNEL } from '../../origin/src/services/outbox/record.js';
import { createTestApp, type Driver } from '../../origin/test/harness.js';

/** An origin with federation on, served on a real loopback port (peers fetch our actors). */
export async function startFederatedOrigin(driver: Driver = 'postgres') {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const t = await createTestApp(driver, {
    federation: {
      publicUrl,
      keySecret: 'test-federation-secret-0123456789',
      allowPrivateAddress: true,
      signatureWindowSeconds: 300,
      queueWorkers: 4,
    },
  });
  const server = serve({ fetch: t.app.fetch, hostname: '127.0.0.1', port });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const logger = createLogger('silent');
  // What main.ts runs: the outbox dispatcher (with the federation subscriber) and the delivery worker.
  const outbox = createOutboxDispatcher({
    db: t.database.db,
    logger,
    subscribers: [
      federationSubscriber(t.database.db, logger, publicUrl),
      remoteInteractionsSubscriber(t.database.db, logger, publicUrl),
    ],
    pollMs: 200,
  });
  outbox.start();
  const unlisten = await t.database.listen(OUTBOX_CHANNEL, () => outbox.nudge());
  if (!t.services.federation) throw new Error('federation is off');
  const deliveries = startDeliveryWorker(t.database.db, t.services.federation, publicUrl, logger, {
    concurrency: 32,
    perHost: 8,
    timeoutMs: 5000,
    pollMs: 100,
  });
  return {
    ...t,
    publicUrl,
    deliveries,
    async stop() {
      await unlisten();
      await outbox.stop();
      await deliveries.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A key pair as PEM plus the CryptoKey fedify's `signRequest` wants. */
export function rsaKey() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    cryptoKey: privateKey.toCryptoKey({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['sign']),
  };
}

/**
 * A minimal remote instance in TypeScript: serves the actors it is given (`/users/<name>`, with
 * their keys) and records what reaches their inboxes (answered 202, or what `answer` says). Used
 * to sign requests that must be refused, and to capture our signed deliveries.
 */
export async function startFakePeer(
  names: string[],
  options: { answer?: (request: RecordedRequest) => number } = {},
) {
  const keys = Object.fromEntries(names.map((name) => [name, rsaKey()]));
  const received: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const match = /^\/users\/([^/]+)$/.exec(path);
      const key = match ? keys[match[1] as string] : undefined;
      if (req.method === 'GET' && match && key) {
        res.writeHead(200, { 'content-type': 'application/activity+json' });
        res.end(JSON.stringify(peer.actor(match[1] as string)));
        return;
      }
      if (req.method === 'POST' && path.endsWith('/inbox')) {
        const recorded = { method: req.method, path, headers: req.headers, body };
        received.push(recorded);
        res.writeHead(options.answer?.(recorded) ?? 202).end();
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const peer = {
    base,
    keys,
    received,
    actorId: (name: string) => `${base}/users/${name}`,
    keyId: (name: string) => `${base}/users/${name}#main-key`,
    actor: (name: string) => ({
      '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
      id: `${base}/users/${name}`,
      type: 'Person',
      preferredUsername: name,
      inbox: `${base}/users/${name}/inbox`,
      endpoints: { sharedInbox: `${base}/inbox` },
      publicKey: {
        id: `${base}/users/${name}#main-key`,
        owner: `${base}/users/${name}`,
        publicKeyPem: keys[name]?.publicPem,
      },
    }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return peer;
}
