import { z } from 'zod';
import { parseEnvOrThrow } from '../../protocol/env.js';

/**
 * The edge worker's vars and secrets (edge/src/env.ts `EdgeBindings`, minus the R2 binding and the
 * bench-only switch), passed through to the worker as text bindings when set.
 */
export const EDGE_VARS = [
  'ORIGINS',
  'INTERNAL_API_TOKEN',
  'PUBLIC_URL',
  'REVOCATION_SYNC_SECONDS',
  'REVOCATION_MAX_STALE_SECONDS',
  'PLAYBACK_KEYS',
  'PLAYBACK_ACTIVE_KID',
  'PLAYBACK_TTL_SECONDS',
  'PLAYBACK_BIND_IP',
  'PLAYBACK_COUNTRIES_ALLOW',
  'PLAYBACK_COUNTRIES_DENY',
  'UPSTASH_REDIS_REST_URL',
  'UPSTASH_REDIS_REST_TOKEN',
  'RATE_LIMIT_AUTH',
  'RATE_LIMIT_WRITE',
  'RATE_LIMIT_PLAYBACK',
  'RATE_LIMIT_UPLOAD',
  'S3_ENDPOINT',
  'S3_BUCKET',
  'S3_REGION',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'CLIENT_IP_SOURCE',
] as const;

/** What `npm run edge` reads besides the worker's own vars (which the worker validates itself). */
export const EdgeLauncherEnvSchema = z.object({
  EDGE_HOST: z.string().default('127.0.0.1'),
  EDGE_PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  /** Replaced by the worker's own CLIENT_IP_SOURCE=header:<name>; refused so a stale setting is seen. */
  EDGE_CLIENT_IP_HEADER: z
    .undefined({ error: 'replaced by CLIENT_IP_SOURCE=header:<name> (e.g. header:x-real-ip)' })
    .optional(),
  /**
   * Nothing sets CF-Connecting-IP under `workerd serve` (the front worker drops a client's), so
   * that source would mean "no address" in disguise: refused, `none` or `header:<name>` instead.
   */
  CLIENT_IP_SOURCE: z
    .string()
    .optional()
    .refine((value) => value?.trim().toLowerCase() !== 'cf-connecting-ip', {
      error: 'nothing sets CF-Connecting-IP under workerd serve; use header:<name> or none',
    }),
  /** Where the bundle and the generated config go; a fresh temp folder when unset. */
  EDGE_BUILD_DIR: z.string().optional(),
});
export type EdgeLauncherEnv = z.infer<typeof EdgeLauncherEnvSchema>;

/** Parse the launcher's settings once; a bad value stops the process with every problem listed. */
export function parseEdgeLauncherEnv(source: NodeJS.ProcessEnv = process.env): EdgeLauncherEnv {
  return parseEnvOrThrow(EdgeLauncherEnvSchema, source);
}

/** The edge vars that are set (and not empty) in the environment. */
export function edgeVarsFromEnv(source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const name of EDGE_VARS) {
    const value = source[name];
    if (value !== undefined && value !== '') vars[name] = value;
  }
  return vars;
}
