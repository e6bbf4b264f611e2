import { z } from 'zod';
import { parseEnvOrThrow } from '../../protocol/env.js';
import { isIpAddress, normalizeAddress } from './auth/client-address.js';
import { parsePortRange } from './services/live/ports.js';

const GiB = 1024 ** 3;
/** How long a runner holds a job without a heartbeat; runners heartbeat at a third of it. */
const leaseSeconds = z.coerce.number().int().min(1).max(3600);
/** A comma-separated list of literal IP addresses (no ranges), normalised. */
const addressList = z
  .string()
  .transform((v) => v.split(',').map(normalizeAddress).filter(Boolean))
  .refine((list) => list.every(isIpAddress), 'use a comma-separated list of IP addresses');

/** `first-last`, inclusive. */
const portRange = z.string().transform((text, ctx) => {
  const range = parsePortRange(text);
  if ('error' in range) {
    ctx.addIssue({ code: 'custom', message: range.error });
    return z.NEVER;
  }
  return range;
});

/**
 * Every environment variable the origin reads, with defaults for the embedded mode. This is the
 * only module that reads `process.env`; the README's table mirrors it.
 */
export const OriginEnvObject = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .describe('PostgreSQL URL; when unset, embedded PGlite under DATA_DIR'),
  DATABASE_REPLICA_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .describe('A streaming replica: lists, search and anonymous comment pages read there while it keeps up'),
  DATABASE_REPLICA_MAX_LAG_SECONDS: z.coerce
    .number()
    .min(0)
    .default(5)
    .describe('Past this replay lag, reads go back to the primary'),
  DATABASE_REPLICA_CHECK_MS: z.coerce.number().int().min(100).default(1000),
  DATA_DIR: z.string().default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.string().url().default('http://127.0.0.1:8787'),
  // Believing any caller's X-Forwarded-For made every per-address throttle free to bypass (issue 9).
  TRUST_PROXY: z
    .enum(['false', '0', 'no'], {
      message:
        'TRUST_PROXY was removed: the edge authenticates itself with INTERNAL_API_TOKEN; list other front proxies in TRUSTED_PROXY_ADDRESSES',
    })
    .optional(),
  TRUSTED_PROXY_ADDRESSES: addressList
    .default([])
    .describe('Peers whose X-Forwarded-For is believed (read right to left), besides the edge'),
  INTERNAL_ADDRESSES: addressList
    .default([])
    .describe('Peers that reach /metrics, /readyz and the internal OpenAPI document without a token'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(3600)
    .default(30 * 86_400),
  SIGNING_KEY_ROTATION_SECONDS: z.coerce
    .number()
    .int()
    .min(3600)
    .default(30 * 86_400),
  SCRYPT_LOG2_N: z.coerce.number().int().min(10).max(20).default(16),
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  STORAGE_DIR: z.string().optional().describe('Local storage root; defaults to DATA_DIR/storage'),
  S3_ENDPOINT: z.string().url().optional(),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().default('auto'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  UPLOAD_DIR: z.string().optional().describe('tus staging folder; defaults to DATA_DIR/uploads'),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(8 * GiB),
  UPLOAD_QUOTA_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(50 * GiB),
  UPLOAD_EXPIRY_SECONDS: z.coerce.number().int().min(60).default(86_400),
  INTERNAL_API_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  FEDERATION_KEY_SECRET: z
    .string()
    .min(16, 'use at least 16 characters')
    .optional()
    .describe(
      "Seals actors' private keys at rest; defaults to INTERNAL_API_TOKEN, else a fixed development value",
    ),
  FEDERATION_ALLOW_PRIVATE_ADDRESSES: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Let federation fetch loopback and private addresses (tests, closed networks only)'),
  FEDERATION_SIGNATURE_WINDOW_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  FEDERATION_QUEUE_WORKERS: z.coerce.number().int().min(1).max(64).default(8),
  FEDERATION_MEDIA_PROXY: z
    .enum(['on', 'off'])
    .default('off')
    .describe("Remote peers' thumbnails and HLS reach viewers through the edge (/federation/media/...)"),
  FEDERATION_MEDIA_PROXY_SECRET: z
    .string()
    .min(32, 'use at least 32 characters')
    .optional()
    .describe("Signs proxied media URLs; the same value as the edge's (required when the proxy is on)"),
  RUNNER_REGISTRATION_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  JOB_LEASE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    // 10 s, heartbeats every 3.3 s: a dead transcoder's job is taken over within 15 s (ADR 0020).
    .default(10)
    .describe('Lease of a transcode job, and of every kind without a JOB_LEASE_SECONDS_<KIND> of its own'),
  JOB_LEASE_SECONDS_LIVE: leaseSeconds.default(3),
  JOB_LEASE_SECONDS_RECORDING: leaseSeconds.optional(),
  JOB_LEASE_SECONDS_CLEANUP: leaseSeconds.optional(),
  JOB_LEASE_SECONDS_DELIVER: leaseSeconds.optional(),
  // Six attempts, 10 s doubling: retries span about 5 minutes, past a typical storage or network fault.
  JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  JOB_RETRY_BASE_SECONDS: z.coerce.number().min(0).max(3600).default(10),
  SWEEP_INTERVAL_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  /** A server-sent event stream with no change for this long ends with a final `end` event. */
  SSE_IDLE_SECONDS: z.coerce.number().min(1).max(86_400).default(300),
  LIVE_RTMP_URL: z
    .string()
    .regex(/^rtmps?:\/\/[^/]+/, 'must be an rtmp:// URL')
    .default('rtmp://127.0.0.1:1935/live')
    .describe('RTMP base URL encoders publish to (`<url>/<streamKey>`), as ingest is reached from outside'),
  LIVE_WHIP_URL: z
    .string()
    .url()
    .optional()
    .describe("WHIP URL encoders post to (the edge's /whip), shown in the live API; unset: no WHIP"),
  LIVE_SRT_HOST: z.string().min(1).default('127.0.0.1').describe('Host encoders reach the SRT listeners at'),
  LIVE_SRT_PORTS: portRange
    .default({ first: 9000, last: 9099 })
    .describe('SRT listener ports (first-last), one per channel while it has a stream key'),
  LIVE_SRT_SECRET: z
    .string()
    .min(16, 'use at least 16 characters')
    .optional()
    .describe('Key SRT passphrases are derived from; defaults to one derived from INTERNAL_API_TOKEN'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional()
    .describe(
      'Redis shared by the origins for view counting and live chat rooms; when unset, both stay in-process',
    ),
  VIEW_WINDOW_SECONDS: z.coerce
    .number()
    .positive()
    .max(30 * 86_400)
    .default(3600)
    .describe('A viewer counts once per video within this window'),
  VIEW_FLUSH_SECONDS: z.coerce
    .number()
    .positive()
    .max(3600)
    .default(5)
    .describe('Counted views reach PostgreSQL in one batch this often'),
  LIVE_RECONNECT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(30)
    .describe('A live session whose encoder dropped ends when it has not come back within this'),
});

/** S3 settings are required together once the S3 driver is chosen. */
export function requireS3Settings(env: z.infer<typeof OriginEnvObject>, ctx: z.RefinementCtx): void {
  if (env.STORAGE_DRIVER !== 's3') return;
  for (const key of ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
    if (!env[key])
      ctx.addIssue({ code: 'custom', path: [key], message: 'required when STORAGE_DRIVER is s3' });
  }
}

export const OriginEnvSchema = OriginEnvObject.superRefine(requireS3Settings);
export type OriginEnv = z.infer<typeof OriginEnvSchema>;

/** Parse the environment once at start-up; a bad value stops the process with every problem listed. */
export function parseOriginEnv(source: NodeJS.ProcessEnv = process.env): OriginEnv {
  return parseEnvOrThrow(OriginEnvSchema, source);
}
