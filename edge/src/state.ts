import { AccessTokenVerifier } from '../../protocol/access-token-verifier.js';
import type { VideoAccessPolicy } from '../../protocol/api/internal.js';
import type { EdgeBindings, EdgeConfig } from './env.js';
import { createEdgeCache, type EdgeCache, type LivePlaylistFlight } from './playback/cache.js';
import { type MediaSource, originSource, r2Source, s3Source } from './playback/media.js';
import { createRevocationList, type RevocationList } from './playback/revocations.js';
import { type PlaybackClaims, type PlaybackKeyRing, parsePlaybackKeys } from './playback/token.js';
import {
  createMemoryLimiter,
  createUpstashLimiter,
  DEFAULT_RULES,
  parseRule,
  RATE_CLASSES,
  type RateClass,
  type RateLimiter,
  type RateRule,
  withMemoryFallback,
} from './ratelimit.js';
import { fetchWithFailover, OriginPool } from './routing.js';

/**
 * Everything the edge keeps between requests in one isolate: origin health, the JWKS, the policy
 * cache, in-flight fetches for collapsing, the rate limiter and the parsed playback keys. Built once
 * per bindings object, so a test's fresh app starts from a clean slate.
 */
export interface EdgeState {
  config: EdgeConfig;
  pool: OriginPool;
  jwt: AccessTokenVerifier;
  cache: EdgeCache;
  limiter: RateLimiter;
  media: MediaSource | undefined;
  playbackKeys: Promise<PlaybackKeyRing> | undefined;
  policies: Map<string, { policy: VideoAccessPolicy | 'missing'; until: number }>;
  /** Tokens whose signature already checked out: a player sends one token per segment. */
  verifiedTokens: Map<string, PlaybackClaims>;
  /** Anonymous PeerTube video JSON, signed streams included, per video id (peertube/video-json.ts). */
  peertubeVideos: Map<string, { body: string; until: number }>;
  /** Per-video revocation epochs synced from the origins (playback/revocations.ts). */
  revocations: RevocationList;
  /** Live playlist requests in flight, per video, path and `_HLS_*` directives (playback/live.ts). */
  livePlaylists: Map<string, LivePlaylistFlight>;
}

export function createEdgeState(config: EdgeConfig, bindings: EdgeBindings): EdgeState {
  const pool = new OriginPool(config.origins, { downForMs: 30_000 });
  const rules = Object.fromEntries(
    RATE_CLASSES.map((c) => [c, parseRule(config.rateLimits[c], DEFAULT_RULES[c])]),
  ) as Record<RateClass, RateRule>;
  let media: MediaSource | undefined;
  if (bindings.MEDIA) media = r2Source(bindings.MEDIA);
  else if (config.s3) media = s3Source(config.s3);
  else if (config.internalApiToken) media = originSource(pool, config.internalApiToken);
  return {
    config,
    pool,
    // The verifier parses the key set itself: a malformed JWKS is an outage, never a bad token.
    jwt: new AccessTokenVerifier(async () => {
      const res = await fetchWithFailover(pool, 'GET', (origin) => fetch(`${origin}/.well-known/jwks.json`));
      if (!res.ok) throw new Error(`JWKS fetch failed with ${res.status}`);
      return await res.json();
    }),
    cache: createEdgeCache(),
    limiter: config.upstash
      ? withMemoryFallback(
          createUpstashLimiter(config.upstash.url, config.upstash.token, rules),
          createMemoryLimiter(rules),
          (line) => console.error(JSON.stringify(line)),
        )
      : createMemoryLimiter(rules),
    media,
    playbackKeys: config.playback.keys
      ? parsePlaybackKeys(config.playback.keys, config.playback.activeKid)
      : undefined,
    policies: new Map(),
    verifiedTokens: new Map(),
    peertubeVideos: new Map(),
    revocations: createRevocationList(),
    livePlaylists: new Map(),
  };
}
