import { z } from 'zod';
import { parseClientIpSource } from '../edge/src/env.js';
import { OriginEnvObject, requireS3Settings } from '../origin/src/env.js';
import { parseEnvOrThrow } from '../protocol/env.js';

/** `npm start` reads the origin's variables plus where to put the edge. */
export const StartEnvSchema = OriginEnvObject.extend({
  EDGE_HOST: z.string().default('127.0.0.1'),
  EDGE_PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  /** The in-process RTMP ingest's port (0: any free one, for tests). */
  INGEST_RTMP_PORT: z.coerce.number().int().min(0).max(65535).default(1935),
  /**
   * What encoders publish to, when ingest is reached through something else than this machine's
   * loopback; by default the bound ingest port on 127.0.0.1.
   */
  LIVE_RTMP_URL: OriginEnvObject.shape.LIVE_RTMP_URL.unwrap().optional(),
  /** The public base URL: the edge this command starts, unless a front proxy is named here. */
  PUBLIC_URL: z.string().url().optional(),
  /** Redis for the edge's rate limits, reached through the bundled Upstash REST bridge. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  /** Or an Upstash(-compatible) REST endpoint directly. Memory limits when neither is set. */
  UPSTASH_REDIS_REST_URL: z.string().url().optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().optional(),
  /**
   * Where the edge reads client addresses: `none` (default) or `header:<name>` set by a proxy in
   * front. Never `cf-connecting-ip`: `wrangler dev` keeps a client-sent one as it is.
   */
  CLIENT_IP_SOURCE: z
    .string()
    .default('none')
    .refine((value) => parseClientIpSource(value)?.kind !== undefined, 'must be none or header:<name>')
    .refine(
      (value) => parseClientIpSource(value)?.kind !== 'cf-connecting-ip',
      'cf-connecting-ip is forgeable under wrangler dev; use none or header:<name>',
    ),
  // Everything runs on this machine: curl 127.0.0.1:8080/metrics works without the token.
  INTERNAL_ADDRESSES: OriginEnvObject.shape.INTERNAL_ADDRESSES.default(['127.0.0.1', '::1']),
})
  .transform(({ LIVE_RTMP_URL, ...env }) => ({
    ...env,
    PUBLIC_URL: env.PUBLIC_URL ?? `http://${env.EDGE_HOST}:${env.EDGE_PORT}`,
    /** Set when the operator named it; else `npm start` derives it from the bound ingest port. */
    LIVE_RTMP_URL_GIVEN: LIVE_RTMP_URL,
    LIVE_RTMP_URL: LIVE_RTMP_URL ?? `rtmp://127.0.0.1:${env.INGEST_RTMP_PORT}/live`,
  }))
  .superRefine(requireS3Settings);

export type StartEnv = z.infer<typeof StartEnvSchema>;

/** Parse the environment once at start-up; a bad value stops the process with every problem listed. */
export function parseStartEnv(source: NodeJS.ProcessEnv = process.env): StartEnv {
  return parseEnvOrThrow(StartEnvSchema, source);
}
