import { inject } from 'vitest';
import type { EdgeBindings } from '../src/env.js';
import worker from '../src/index.js';

export const REAL = inject('realOrigin');

export const PLAYBACK_KEYS = `k2:${'s'.repeat(40)},k1:${'r'.repeat(40)}`;

/** Bindings for an edge in front of the real origin. Fresh objects get fresh per-isolate state. */
export function realEnv(extra: EdgeBindings = {}): EdgeBindings {
  // As on Cloudflare, where the platform sets CF-Connecting-IP.
  return {
    ORIGINS: REAL.url,
    INTERNAL_API_TOKEN: REAL.internalToken,
    PLAYBACK_KEYS,
    CLIENT_IP_SOURCE: 'cf-connecting-ip',
    ...extra,
  };
}

export const SHARED_ENV = realEnv();

export async function edge(
  path: string,
  init: RequestInit = {},
  env: EdgeBindings = SHARED_ENV,
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('cf-connecting-ip')) headers.set('cf-connecting-ip', '198.51.100.7');
  return await worker.fetch(new Request(`https://video.example.com${path}`, { ...init, headers }), env);
}

/** Ask the edge for playback URLs of a video, as `who`. */
export async function playback(
  videoId: string,
  who?: keyof typeof REAL.tokens,
  body?: Record<string, unknown>,
  env: EdgeBindings = SHARED_ENV,
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (who) headers.authorization = `Bearer ${REAL.tokens[who]}`;
  if (body) headers['content-type'] = 'application/json';
  return edge(
    `/api/v1/videos/${videoId}/playback`,
    { method: 'POST', headers, ...(body ? { body: JSON.stringify(body) } : {}) },
    env,
  );
}

/** The path part (`/play/<token>/<file>`) of a signed URL. */
/** What `POST /api/v1/videos/:id/playback` answers; the seeded videos have every file. */
export interface PlaybackAnswer {
  hls: string;
  thumbnail: string;
  storyboard: string;
  expiresAt: string;
}

export const pathOf = (signed: string) => new URL(signed).pathname;

export async function originCounts(): Promise<{ media: number; api: number }> {
  return (await fetch(`${REAL.url}/__counts`)).json();
}
