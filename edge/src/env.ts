// zod/mini rather than classic zod: same parser, but tree-shakable, so the worker bundle stays ~20 KB
// instead of ~480 KB (classic zod drags every locale in), which matters for edge cold starts.
import * as z from 'zod/mini';

/**
 * The raw bindings wrangler hands the worker (`[vars]` in wrangler.toml). Everything is typed as
 * loosely as the runtime really delivers it: nothing is trusted until `EdgeEnvSchema` has parsed it.
 */
export type EdgeBindings = {
  /** Comma-separated origin base URLs, e.g. `https://origin-1.example.com,https://origin-2.example.com`. */
  ORIGINS?: unknown;
  /** Secret shared with the origins for `/internal/*` (policies, password checks, media). */
  INTERNAL_API_TOKEN?: unknown;
  /** Secret: `kid:secret,kid:secret` HMAC keys for playback tokens; the first signs. */
  PLAYBACK_KEYS?: unknown;
  PLAYBACK_ACTIVE_KID?: unknown;
  /**
   * The edge's public base URL (`https://video.example.com`): issued playback URLs start with it.
   * Unset, they use the request's own origin, which behind a proxy that passes any `Host` through
   * lets a caller choose it; `npm start` and `npm run edge` always set it.
   */
  PUBLIC_URL?: unknown;
  /**
   * Comma-separated base URLs of the ingest nodes' WebRTC signalling (`INGEST_WEBRTC_PORT`), e.g.
   * `http://ingest-1:8889`: the edge forwards WHIP and WHEP there (docs/deploy/webrtc.md).
   */
  WEBRTC_NODES?: unknown;
  /** Seconds between refreshes of the playback revocation list per isolate (default 10). */
  REVOCATION_SYNC_SECONDS?: unknown;
  /**
   * Seconds an isolate may go on with a list it cannot refresh before refusing every token
   * (fail closed; default 20). Bounds how late a revocation can take effect.
   */
  REVOCATION_MAX_STALE_SECONDS?: unknown;
  /** Default lifetime of playback tokens, in seconds (at most 24 h). */
  PLAYBACK_TTL_SECONDS?: unknown;
  /** `true` to bind playback tokens to the viewer's address. */
  PLAYBACK_BIND_IP?: unknown;
  /** Comma-separated ISO country codes written into every playback token: only these may watch. */
  PLAYBACK_COUNTRIES_ALLOW?: unknown;
  /** Comma-separated ISO country codes that may never watch (wins over the allow list). */
  PLAYBACK_COUNTRIES_DENY?: unknown;
  UPSTASH_REDIS_REST_URL?: unknown;
  UPSTASH_REDIS_REST_TOKEN?: unknown;
  /** Rate-limit overrides, `requests/seconds`. */
  RATE_LIMIT_AUTH?: unknown;
  RATE_LIMIT_WRITE?: unknown;
  RATE_LIMIT_PLAYBACK?: unknown;
  RATE_LIMIT_UPLOAD?: unknown;
  /** S3-compatible storage the edge may read published files from directly (else the origin serves them). */
  S3_ENDPOINT?: unknown;
  S3_BUCKET?: unknown;
  S3_REGION?: unknown;
  S3_ACCESS_KEY_ID?: unknown;
  S3_SECRET_ACCESS_KEY?: unknown;
  /**
   * The one source of the client's address: `cf-connecting-ip` (on Cloudflare, where the platform
   * sets it), `header:<name>` (self-hosted: the header the operator's front proxy overwrites, e.g.
   * `header:x-real-ip`) or `none` (the default: nothing a client sends is believed).
   */
  CLIENT_IP_SOURCE?: unknown;
  /**
   * `on` to serve remote thumbnails and HLS of federated peers through this edge
   * (`/federation/media/...`, edge/src/federation/media-proxy.ts), so viewers never contact them.
   */
  FEDERATION_MEDIA_PROXY?: unknown;
  /** Secret shared with the origins: it signs proxied media URLs (at least 32 characters). */
  FEDERATION_MEDIA_PROXY_SECRET?: unknown;
  /** `true` lets the proxy reach loopback and private addresses (tests, closed networks). */
  FEDERATION_MEDIA_PROXY_PRIVATE?: unknown;
  /** "true" only in bench/edge: enables the unverified `/bench-raw/` twin of `/play/`. */
  BENCH_UNVERIFIED_ROUTES?: unknown;
  /** Optional R2 bucket binding holding published files. */
  MEDIA?: R2BucketLike;
};

/** The part of an R2 bucket binding the edge uses; typed locally to avoid depending on workers types. */
export interface R2BucketLike {
  get(
    key: string,
    options?: { range?: { offset: number; length?: number } },
  ): Promise<{ body: ReadableStream; size: number; httpEtag?: string } | null>;
}

/**
 * One origin: an absolute http(s) URL with nothing after the host, normalised to `scheme://host[:port]`.
 * A path prefix is refused rather than silently dropped, because the proxy maps the incoming path
 * onto the origin verbatim and a half-honoured prefix would route requests somewhere unintended.
 */
const OriginSchema = z.pipe(
  z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }),
  z.transform((raw: string, ctx) => {
    const url = new URL(raw);
    if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
      ctx.issues.push({ code: 'custom', input: raw, message: 'must not carry a path, query or fragment' });
    } else if (url.username !== '' || url.password !== '') {
      ctx.issues.push({ code: 'custom', input: raw, message: 'must not embed credentials' });
    }
    return url.origin;
  }),
);

/** Where the edge reads the client's address from; see `EdgeBindings.CLIENT_IP_SOURCE`. */
export type ClientIpSource =
  | { kind: 'cf-connecting-ip' }
  | { kind: 'header'; name: string }
  | { kind: 'none' };

/** A header name as RFC 9110 allows it (a token), lower-cased. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/** Parse `CLIENT_IP_SOURCE`; undefined when it names no valid source. Unset means `none`. */
export function parseClientIpSource(raw: string | undefined): ClientIpSource | undefined {
  const value = (raw ?? 'none').trim().toLowerCase();
  if (value === 'none' || value === 'cf-connecting-ip') return { kind: value };
  const name = value.startsWith('header:') ? value.slice('header:'.length).trim() : undefined;
  return name && HEADER_NAME.test(name) ? { kind: 'header', name } : undefined;
}

const ClientIpSourceSchema = z.pipe(
  z.optional(z.string()),
  z.transform((raw: string | undefined, ctx) => {
    const source = parseClientIpSource(raw);
    if (source) return source;
    ctx.issues.push({
      code: 'custom',
      input: raw,
      message: 'must be cf-connecting-ip, header:<name> or none',
    });
    return { kind: 'none' } as ClientIpSource;
  }),
);

/** Default seconds between revocation syncs, and how long an unrefreshable list is still trusted. */
export const REVOCATION_DEFAULTS = { syncSeconds: 10, maxStaleSeconds: 20 } as const;

/**
 * Revocation timing in milliseconds. The staleness bound is `maxStale` (never below one sync
 * interval) plus the outbox's delivery delay; docs/adr/0004-edge-playback.md keeps it under 30 s.
 */
function revocationTiming(sync: string | undefined, maxStale: string | undefined) {
  const syncMs = Number(sync ?? REVOCATION_DEFAULTS.syncSeconds) * 1000;
  const maxStaleMs = Math.max(syncMs, Number(maxStale ?? REVOCATION_DEFAULTS.maxStaleSeconds) * 1000);
  return { syncMs, maxStaleMs };
}

/** Every text var and secret the worker reads; launchers pass exactly these through. */
export const EdgeVarsSchema = z.object({
  ORIGINS: z.pipe(
    z.pipe(
      z.string({ error: 'required: a comma-separated list of origin URLs' }),
      z.transform((list: string) =>
        list
          .split(',')
          .map((entry) => entry.trim())
          .filter((entry) => entry !== ''),
      ),
    ),
    z.array(OriginSchema).check(z.minLength(1, { error: 'must list at least one origin' })),
  ),
  INTERNAL_API_TOKEN: z.optional(z.string().check(z.minLength(16))),
  PUBLIC_URL: z.optional(OriginSchema),
  WEBRTC_NODES: z.optional(z.string()),
  REVOCATION_SYNC_SECONDS: z.optional(z.string().check(z.regex(/^\d+(\.\d+)?$/))),
  REVOCATION_MAX_STALE_SECONDS: z.optional(z.string().check(z.regex(/^\d+(\.\d+)?$/))),
  PLAYBACK_KEYS: z.optional(z.string()),
  PLAYBACK_ACTIVE_KID: z.optional(z.string()),
  PLAYBACK_TTL_SECONDS: z.optional(z.string().check(z.regex(/^\d+$/))),
  PLAYBACK_BIND_IP: z.optional(z.enum(['true', 'false'])),
  PLAYBACK_COUNTRIES_ALLOW: z.optional(z.string().check(z.regex(/^[A-Z]{2}(,[A-Z]{2})*$/))),
  PLAYBACK_COUNTRIES_DENY: z.optional(z.string().check(z.regex(/^[A-Z]{2}(,[A-Z]{2})*$/))),
  UPSTASH_REDIS_REST_URL: z.optional(z.url()),
  UPSTASH_REDIS_REST_TOKEN: z.optional(z.string()),
  RATE_LIMIT_AUTH: z.optional(z.string()),
  RATE_LIMIT_WRITE: z.optional(z.string()),
  RATE_LIMIT_PLAYBACK: z.optional(z.string()),
  RATE_LIMIT_UPLOAD: z.optional(z.string()),
  S3_ENDPOINT: z.optional(z.url()),
  S3_BUCKET: z.optional(z.string()),
  S3_REGION: z.optional(z.string()),
  S3_ACCESS_KEY_ID: z.optional(z.string()),
  S3_SECRET_ACCESS_KEY: z.optional(z.string()),
  CLIENT_IP_SOURCE: ClientIpSourceSchema,
  FEDERATION_MEDIA_PROXY: z.optional(z.enum(['on', 'off'])),
  FEDERATION_MEDIA_PROXY_SECRET: z.optional(z.string().check(z.minLength(32))),
  FEDERATION_MEDIA_PROXY_PRIVATE: z.optional(z.enum(['true', 'false'])),
});

/** Zod schema for the edge bindings; its output is the typed, normalised `EdgeConfig`. */
export const EdgeEnvSchema = z.pipe(
  EdgeVarsSchema.check(
    z.refine(
      (env) => env.FEDERATION_MEDIA_PROXY !== 'on' || env.FEDERATION_MEDIA_PROXY_SECRET !== undefined,
      {
        message: 'FEDERATION_MEDIA_PROXY=on needs FEDERATION_MEDIA_PROXY_SECRET',
        path: ['FEDERATION_MEDIA_PROXY_SECRET'],
      },
    ),
  ),
  z.transform((env) => ({
    origins: env.ORIGINS,
    internalApiToken: env.INTERNAL_API_TOKEN,
    clientIpSource: env.CLIENT_IP_SOURCE,
    publicUrl: env.PUBLIC_URL,
    webrtcNodes: (env.WEBRTC_NODES ?? '')
      .split(',')
      .map((url) => url.trim().replace(/\/+$/, ''))
      .filter((url) => /^https?:\/\/[^/]+$/.test(url)),
    revocations: revocationTiming(env.REVOCATION_SYNC_SECONDS, env.REVOCATION_MAX_STALE_SECONDS),
    playback: {
      keys: env.PLAYBACK_KEYS,
      activeKid: env.PLAYBACK_ACTIVE_KID,
      ttlSeconds: Math.min(24 * 3600, Number(env.PLAYBACK_TTL_SECONDS ?? 4 * 3600)),
      bindIp: env.PLAYBACK_BIND_IP === 'true',
      countries:
        env.PLAYBACK_COUNTRIES_ALLOW || env.PLAYBACK_COUNTRIES_DENY
          ? {
              ...(env.PLAYBACK_COUNTRIES_ALLOW ? { allow: env.PLAYBACK_COUNTRIES_ALLOW.split(',') } : {}),
              ...(env.PLAYBACK_COUNTRIES_DENY ? { deny: env.PLAYBACK_COUNTRIES_DENY.split(',') } : {}),
            }
          : undefined,
    },
    upstash:
      env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
        ? { url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN }
        : undefined,
    rateLimits: {
      auth: env.RATE_LIMIT_AUTH,
      write: env.RATE_LIMIT_WRITE,
      playback: env.RATE_LIMIT_PLAYBACK,
      upload: env.RATE_LIMIT_UPLOAD,
    },
    mediaProxy:
      env.FEDERATION_MEDIA_PROXY === 'on' && env.FEDERATION_MEDIA_PROXY_SECRET
        ? {
            secret: env.FEDERATION_MEDIA_PROXY_SECRET,
            allowPrivate: env.FEDERATION_MEDIA_PROXY_PRIVATE === 'true',
          }
        : undefined,
    s3:
      env.S3_ENDPOINT && env.S3_BUCKET && env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
        ? {
            endpoint: env.S3_ENDPOINT,
            bucket: env.S3_BUCKET,
            region: env.S3_REGION ?? 'auto',
            accessKeyId: env.S3_ACCESS_KEY_ID,
            secretAccessKey: env.S3_SECRET_ACCESS_KEY,
          }
        : undefined,
  })),
);

/** What the rest of the edge works with once the bindings have been validated. */
export type EdgeConfig = z.output<typeof EdgeEnvSchema>;

/** Outcome of `loadConfig`: either a config or a human-readable list of what is wrong. */
export type LoadConfigResult = { ok: true; config: EdgeConfig } | { ok: false; problems: string[] };

// Workers reuse one env object for every request an isolate serves, so parsing once per env object
// keeps validation off the hot path while still failing loudly on the first request after a bad deploy.
const cache = new WeakMap<object, LoadConfigResult>();

/**
 * Parse and cache the bindings. Never throws: a misconfigured edge must still answer with the
 * house error shape instead of an opaque runtime exception.
 */
export function loadConfig(env: EdgeBindings | undefined): LoadConfigResult {
  const cached = env ? cache.get(env) : undefined;
  if (cached) return cached;
  const parsed = EdgeEnvSchema.safeParse(env ?? {});
  const result: LoadConfigResult = parsed.success
    ? { ok: true, config: parsed.data }
    : {
        ok: false,
        problems: parsed.error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`),
      };
  if (env) cache.set(env, result);
  return result;
}
