import { inject } from 'vitest';
import type { EdgeBindings } from '../src/env.js';
import worker from '../src/index.js';
import type { Echo } from './provided.js';

/** Base URL of the Node-side fake origin started by `origin-server.ts`. */
export const ORIGIN_URL = inject('originUrl');

/** Bindings pointing the edge at the fake origin, shared so the per-env config cache is exercised. */
export const ORIGIN_ENV: EdgeBindings = { ORIGINS: ORIGIN_URL, CLIENT_IP_SOURCE: 'cf-connecting-ip' };

/** Bindings pointing the edge at a loopback port nothing listens on. */
export const DEAD_ENV: EdgeBindings = { ORIGINS: inject('deadOriginUrl') };

/** The public hostname tests pretend the edge is served on. */
export const EDGE_HOST = 'video.example.com';

/**
 * Send a request through the real worker entry point (`index.ts` default export), inside workerd.
 * Outbound requests then leave workerd over real sockets to the Node-side origin.
 */
export async function edgeFetch(path: string, init?: RequestInit, env: EdgeBindings = ORIGIN_ENV) {
  return worker.fetch(new Request(`https://${EDGE_HOST}${path}`, init), env);
}

/** Send a request through the edge to the origin's echo route and return what the origin saw. */
export async function echoThroughEdge(
  path: string,
  init?: RequestInit,
): Promise<{ res: Response; echo: Echo }> {
  const res = await edgeFetch(path, init);
  return { res, echo: (await res.json()) as Echo };
}

/** `length` bytes of non-repeating data, so a dropped or reordered chunk changes the digest. */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 64 KiB per call.
  for (let offset = 0; offset < length; offset += 65_536) {
    crypto.getRandomValues(bytes.subarray(offset, Math.min(offset + 65_536, length)));
  }
  return bytes;
}

/** Hex SHA-256 of `bytes`, computed with WebCrypto as the worker side has no node:crypto. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
