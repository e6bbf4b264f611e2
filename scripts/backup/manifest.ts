import { z } from 'zod';

/** Names inside a backup folder; spelled once here. */
export const BACKUP_FILES = {
  manifest: 'manifest.json',
  /** PGlite's data folder as a gzipped tar (`dumpDataDir`). */
  pgliteDump: 'database.tar.gz',
  /** `pg_dump --format=custom` of the PostgreSQL database. */
  postgresDump: 'database.pgdump',
  /** DATA_DIR/secrets.json of the instance (internal token, runner token, playback keys). */
  secrets: 'secrets.json',
  /** Secrets the instance had from its environment rather than secrets.json. */
  environmentSecrets: 'environment-secrets.env',
  /** Copies of the storage objects (local storage only), under their keys. */
  objectsDir: 'storage',
} as const;

export const BACKUP_FORMAT = 'vidra-backup/1';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** One storage object the database references, as it was when the backup was taken. */
export const BackupObjectSchema = z.object({
  key: z.string().min(1).max(512),
  size: z.number().int().min(0),
  sha256: Sha256,
  contentType: z.string().optional(),
});
export type BackupObject = z.infer<typeof BackupObjectSchema>;

/** `manifest.json`: what the backup holds and how to check it. Restore refuses anything else. */
export const BackupManifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  createdAt: z.iso.datetime(),
  database: z.object({
    driver: z.enum(['pglite', 'postgres']),
    file: z.enum([BACKUP_FILES.pgliteDump, BACKUP_FILES.postgresDump]),
    size: z.number().int().min(0),
    sha256: Sha256,
  }),
  /** Which secret files the backup holds. */
  secrets: z.object({ secretsJson: z.boolean(), environment: z.array(z.string()) }),
  storage: z.object({
    driver: z.enum(['local', 's3']),
    /** True when the objects themselves are in `storage/`; for S3 they stay in the bucket. */
    copied: z.boolean(),
    videos: z.number().int().min(0),
    objects: z.array(BackupObjectSchema),
  }),
});
export type BackupManifest = z.infer<typeof BackupManifestSchema>;

/** A problem an operator fixes (a non-empty target, a damaged backup): printed without a stack trace. */
export class BackupError extends Error {
  override readonly name = 'BackupError';
}
