// What the Node-side globalSetups (origin-server.ts, real-origin.ts, web-origin.ts) hand the
// tests that run in workerd. Types and constants only: this file is type-checked with both the
// Node types (beside the setups) and the Workers types (beside the tests, see edge/tsconfig.json).
import type { Privacy } from '../../protocol/video.js';

/** What the default route answers: a JSON picture of the request exactly as the origin saw it. */
export type Echo = {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
};

/** The internal API token the fake origin's live routes (`live-origin.ts`) accept. */
export const FAKE_INTERNAL_TOKEN = 'live-fake-internal-token';

/** How often the fake live origin was asked, per stream (`GET /__live/counts?video=<id>`). */
export type FakeLiveCounts = {
  /** Playlist requests by `<path>?<query as received>`. */
  playlists: Record<string, number>;
  /** Media file requests by path under `hls/`. */
  files: Record<string, number>;
  /** Access policy requests. */
  policies: number;
};

/** Video fixtures of the web app tests, by the case they stand for. */
export const WEB_CASES = [
  'ready',
  'processing',
  'failed',
  'private',
  'password',
  'internal',
  'encoding',
  'live',
  'ended',
  'ladderFailed',
  'retrying',
] as const;
export type WebCase = (typeof WEB_CASES)[number];

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the fake origin (`origin-server.ts`). */
    originUrl: string;
    /** A loopback URL nothing listens on, for the unreachable-origin case. */
    deadOriginUrl: string;
    /** A real origin app (PGlite) the edge tests talk to over loopback. */
    realOrigin: {
      url: string;
      internalToken: string;
      tokens: { owner: string; other: string; admin: string };
      ownerId: string;
      /** `revocable`: a public video only the revocation tests revoke (through `/__revoke`). */
      videos: Record<Privacy | 'processing' | 'revocable', string>;
      /** Expected bytes of the public video's master playlist and first segment. */
      master: string;
      /** The project's Upstash REST bridge in front of the real Redis. */
      upstash: { url: string; token: string };
    };
    /** A real origin (PGlite) seeded for the web app's rendering tests. */
    webOrigin: {
      url: string;
      internalToken: string;
      owner: { email: string; password: string; username: string; handle: string };
      other: { email: string; password: string };
      /** A user with no channel, for the upload page's create-a-channel branch. */
      newcomer: { email: string; password: string };
      /** A second channel of the owner, with no live endpoint until the Go-live tests make one. */
      liveHandle: string;
      videos: Record<WebCase, string>;
      /** Title with markup in it, which every page must show as text. */
      hostileTitle: string;
    };
  }
}
