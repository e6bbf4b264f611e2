// biome-ignore-all lint/style/noRestrictedImports: a vitest globalSetup that runs in Node (it plays the origin), never in workerd.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { handleLive } from './live-origin.js';
import type { Echo } from './provided.js';

// Per-key byte counters and waiters, so a test can prove the edge forwards upload bytes before the
// upload has ended (a buffering proxy would deadlock the test instead of passing it).
const received = new Map<string, number>();
const waiters = new Set<() => void>();
const releases = new Map<string, () => void>();
const SAFETY_MS = 10_000; // nothing in the fixture may hang a test run forever

function notify(): void {
  for (const wake of waiters) wake();
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://origin.invalid');
  const key = url.searchParams.get('key') ?? '';
  if (await handleLive(req, res, url)) return;
  switch (url.pathname) {
    case '/respond': {
      const status = Number(url.searchParams.get('status') ?? '200');
      res.writeHead(status, {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'public, max-age=60',
        'x-origin': 'vidra-origin',
        'set-cookie': ['a=1; Path=/', 'b=2; Path=/; HttpOnly'],
        'keep-alive': 'timeout=5',
      });
      res.end(status === 204 || status === 304 ? undefined : `hello from origin (${status})`);
      return;
    }
    case '/redirect':
      res.writeHead(302, { location: '/landed' }).end();
      return;
    case '/echo-body': {
      const body = await readBody(req);
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'x-seen-content-length': req.headers['content-length'] ?? 'none',
        'x-seen-transfer-encoding': req.headers['transfer-encoding'] ?? 'none',
      });
      res.end(body);
      return;
    }
    case '/upload': {
      const hash = createHash('sha256');
      received.set(key, 0);
      for await (const chunk of req) {
        hash.update(chunk as Buffer);
        received.set(key, (received.get(key) ?? 0) + (chunk as Buffer).length);
        notify();
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ bytes: received.get(key), sha256: hash.digest('hex') }));
      return;
    }
    case '/upload-progress': {
      const atLeast = Number(url.searchParams.get('atLeast') ?? '1');
      const reached = await new Promise<boolean>((resolve) => {
        const check = (): void => {
          if ((received.get(key) ?? 0) < atLeast) return;
          waiters.delete(check);
          resolve(true);
        };
        waiters.add(check);
        check();
        setTimeout(() => waiters.delete(check) && resolve(false), SAFETY_MS).unref();
      });
      res.writeHead(reached ? 200 : 408, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ bytes: received.get(key) ?? 0 }));
      return;
    }
    case '/sse': {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: first\n\n');
      // The second event is held back until the test says so: it can only say so after it has
      // read the first one through the edge, which is what proves the edge does not buffer.
      await new Promise<void>((resolve) => {
        releases.set(key, resolve);
        setTimeout(resolve, SAFETY_MS).unref();
      });
      res.end('data: second\n\n');
      return;
    }
    case '/sse-release':
      releases.get(key)?.();
      res.writeHead(204).end();
      return;
    default: {
      const body = (await readBody(req)).toString('utf8');
      const echo: Echo = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      res.writeHead(200, { 'content-type': 'application/json', 'x-origin': 'vidra-origin' });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(echo));
    }
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** Start the fake origin on a free loopback port and hand its URL to the workerd-side tests. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const origin = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  const port = await listen(origin);
  // Grab a free port and close it again: connecting to it is then refused, like a dead origin.
  const probe = createServer();
  const deadPort = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));

  project.provide('originUrl', `http://127.0.0.1:${port}`);
  project.provide('deadOriginUrl', `http://127.0.0.1:${deadPort}`);
  return async () => {
    origin.closeAllConnections();
    await new Promise((resolve) => origin.close(resolve));
  };
}
