import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Default cap on a request body: Upstash's own request limit is of the same order. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * How far past the cap a body is still read (and thrown away) before the socket is cut. Reading
 * an over-size body to its end lets a well-behaved client receive the 413 instead of a reset
 * connection mid-upload; the second cap keeps a hostile client from streaming forever.
 */
const DRAIN_FACTOR = 16;

/** The body, or `too-large` once it passed the cap (the excess is discarded, never buffered). */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' };

/** Read a request body up to `maxBytes`; rejects if the client goes away mid-body. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= maxBytes) chunks.push(chunk);
      else if (received > maxBytes * DRAIN_FACTOR) req.destroy();
    });
    req.on('end', () =>
      resolve(
        received <= maxBytes ? { ok: true, body: Buffer.concat(chunks) } : { ok: false, reason: 'too-large' },
      ),
    );
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('request body aborted'));
    });
  });
}

/**
 * Whether the request carries `Authorization: Bearer <token>`. Both sides are hashed first so the
 * constant-time comparison does not leak the token's length either.
 */
export function isAuthorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match?.[1]) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}

/** Whether the client asked for base64 string results (@upstash/redis does by default). */
export function wantsBase64(req: IncomingMessage): boolean {
  const value = req.headers['upstash-encoding'];
  return typeof value === 'string' && value.trim().toLowerCase() === 'base64';
}

/** Send a JSON body with the given status; `close` asks Node to drop the connection afterwards. */
export function sendJson(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(payload);
}

/**
 * Split a path-style command (`/set/k/v`, Upstash's URL form) into decoded arguments.
 * Returns null when a segment is not valid percent-encoding.
 */
export function pathCommand(pathname: string): string[] | null {
  try {
    return pathname
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
}
