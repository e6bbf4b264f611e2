import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorText, isRedisReplyError, PARSE_ERROR, toRedisArgs, toRestReply } from './encoding.js';
import {
  DEFAULT_MAX_BODY_BYTES,
  isAuthorized,
  pathCommand,
  readBody,
  sendJson,
  wantsBase64,
} from './http-io.js';
import { connectRedis, type RedisExecutor } from './redis-exec.js';

/** Where the bridge listens and which Redis it fronts. */
export interface UpstashBridgeOptions {
  /** Redis to forward to, e.g. `redis://127.0.0.1:6379`. */
  redisUrl: string;
  /** Bearer token clients must send (the `token` given to `new Redis({ url, token })`). */
  token: string;
  /** Interface to bind; loopback by default so the bridge is never exposed by accident. */
  host?: string;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Largest accepted request body in bytes (default 1 MiB); larger bodies get a 413. */
  maxBodyBytes?: number;
}

/** A running bridge. */
export interface UpstashBridge {
  /** Base URL to hand to @upstash/redis as `url` (no trailing slash). */
  url: string;
  /** Stop accepting requests, let in-flight ones finish (5 s at most), then disconnect from Redis. */
  close(): Promise<void>;
}

/** In-flight requests get this long to finish on close before their connections are cut. */
const CLOSE_GRACE_MS = 5_000;

/**
 * Start an HTTP server speaking the subset of Upstash's REST API that @upstash/redis and
 * @upstash/ratelimit use (`POST /`, `/pipeline`, `/multi-exec`, and the `/cmd/arg/...` URL form),
 * backed by a plain Redis. Rejects if Redis cannot be reached or the port cannot be bound.
 */
export async function startUpstashBridge(options: UpstashBridgeOptions): Promise<UpstashBridge> {
  if (!options.token) throw new Error('startUpstashBridge: a non-empty token is required');
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const redis = await connectRedis(options.redisUrl);
  let closing = false;

  // Bounded so a client that trickles its headers or body cannot hold a connection open forever.
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A client that vanished mid-body needs no answer; anything else is a bridge bug worth a 500.
      if (!req.destroyed) sendJson(res, 500, { error: `ERR bridge failure: ${errorText(error)}` }, true);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // While closing, answer with `Connection: close` so keep-alive clients let go promptly.
    const reply = (status: number, body: unknown) => sendJson(res, status, body, closing);
    if (req.method !== 'POST' && req.method !== 'GET') return reply(405, { error: 'ERR method not allowed' });
    if (!isAuthorized(req, options.token)) return reply(401, { error: 'Unauthorized' });
    const read = await readBody(req, maxBodyBytes);
    if (!read.ok) return reply(413, { error: `ERR request body exceeds ${maxBodyBytes} bytes` });
    const pathname = new URL(req.url ?? '/', 'http://bridge').pathname;
    const [status, body] = await dispatch(redis, pathname, req, read.body, wantsBase64(req));
    reply(status, body);
  }

  try {
    await listen(server, options.port ?? 0, host);
  } catch (error) {
    await redis.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () => {
      closing = true;
      closed ??= shutdown(server, redis);
      return closed;
    },
  };
}

/**
 * Run one REST request. Replies follow Upstash: 200 with `{ result }` or a per-command array;
 * a Redis error on a single command, or a discarded transaction, is a 400 `{ error }`; a lost
 * Redis connection is a 503 for the whole request.
 */
async function dispatch(
  redis: RedisExecutor,
  pathname: string,
  req: IncomingMessage,
  body: Buffer,
  base64: boolean,
): Promise<[number, unknown]> {
  try {
    if (pathname === '/pipeline' || pathname === '/multi-exec') {
      const parsed = parseJson(body);
      const commands = Array.isArray(parsed) && parsed.length > 0 ? parsed.map(toRedisArgs) : [null];
      if (!isAllValid(commands)) return [400, { error: PARSE_ERROR }];
      const outcomes = await (pathname === '/pipeline'
        ? redis.pipeline(commands)
        : redis.transaction(commands));
      const lost = outcomes.find((o) => o.status === 'rejected' && !isRedisReplyError(o.reason));
      if (lost?.status === 'rejected') return [503, unavailable(lost.reason)];
      return [200, outcomes.map((outcome) => toRestReply(outcome, base64))];
    }
    const args =
      pathname === '/' ? toRedisArgs(parseJson(body)) : withRawBody(pathCommand(pathname), req, body);
    if (!args) return [400, { error: PARSE_ERROR }];
    return [200, toRestReply({ status: 'fulfilled', value: await redis.run(args) }, base64)];
  } catch (error) {
    return isRedisReplyError(error) ? [400, { error: errorText(error) }] : [503, unavailable(error)];
  }
}

function isAllValid(commands: (string[] | null)[]): commands is string[][] {
  return commands.every((args) => args !== null);
}

/** Upstash's URL form also takes the last argument as a raw POST body (`POST /set/k` with body `v`). */
function withRawBody(args: string[] | null, req: IncomingMessage, body: Buffer): string[] | null {
  if (!args || args.length === 0) return null;
  return req.method === 'POST' && body.length > 0 ? [...args, body.toString('utf8')] : args;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function unavailable(error: unknown): { error: string } {
  return { error: `ERR Redis unavailable: ${errorText(error)}` };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function shutdown(server: Server, redis: RedisExecutor): Promise<void> {
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const cutoff = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
  await stopped;
  clearTimeout(cutoff);
  await redis.close();
}
