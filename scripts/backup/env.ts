import { z } from 'zod';
import { OriginEnvObject, requireS3Settings } from '../../origin/src/env.js';
import { parseEnvOrThrow } from '../../protocol/env.js';

/**
 * `npm run backup` and `npm run restore` read the instance's own variables (DATABASE_URL, DATA_DIR,
 * STORAGE_*, S3_*), so they find what the origin uses, plus the edge's PLAYBACK_KEYS when it is
 * given in the environment rather than DATA_DIR/secrets.json.
 */
export const BackupEnvSchema = OriginEnvObject.extend({
  PLAYBACK_KEYS: z.string().optional(),
}).superRefine(requireS3Settings);
export type BackupEnv = z.infer<typeof BackupEnvSchema>;

/** Secrets the origin or the edge may take from the environment; a backup keeps the ones set. */
export const ENVIRONMENT_SECRETS = [
  'INTERNAL_API_TOKEN',
  'RUNNER_REGISTRATION_TOKEN',
  'FEDERATION_KEY_SECRET',
  'LIVE_SRT_SECRET',
  'PLAYBACK_KEYS',
] as const;

/** Parse once; a bad value stops the command with every problem listed. */
export function parseBackupEnv(source: NodeJS.ProcessEnv = process.env): BackupEnv {
  return parseEnvOrThrow(BackupEnvSchema, source);
}

/** The folder a command names: its first argument, else the default. */
export function folderArgument(argv: readonly string[], fallback?: string): string {
  const given = argv.find((arg) => !arg.startsWith('-'));
  if (given) return given;
  if (fallback) return fallback;
  throw new Error('name the backup folder: npm run restore -- <folder>');
}
