import { z } from 'zod';
import { parseEnvOrThrow } from '../../protocol/env.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Every environment variable the origin reads, with defaults for the embedded mode. This is the
 * only module that reads `process.env`; the README's table mirrors it.
 */
export const OriginEnvSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .describe('PostgreSQL URL; when unset, embedded PGlite under DATA_DIR'),
  DATA_DIR: z.string().default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.string().url().default('http://127.0.0.1:8787'),
  TRUST_PROXY: bool.default(false),
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
});

export type OriginEnv = z.infer<typeof OriginEnvSchema>;

/** Parse the environment once at start-up; a bad value stops the process with every problem listed. */
export function parseOriginEnv(source: NodeJS.ProcessEnv = process.env): OriginEnv {
  return parseEnvOrThrow(OriginEnvSchema, source);
}
