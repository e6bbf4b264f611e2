/**
 * `npm run restore -- <folder>`: bring a backup into an EMPTY instance, the one this environment
 * configures (DATABASE_URL or DATA_DIR/pglite, STORAGE_*, DATA_DIR/secrets.json). Anything already
 * there is refused before a byte is written; every file is checked against the manifest first.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { storageFromEnv } from '../../origin/src/main.js';
import { assertDatabaseEmpty, databaseTarget, describeTarget, restoreDatabase } from './database.js';
import { type BackupEnv, folderArgument, parseBackupEnv } from './env.js';
import { BACKUP_FILES, BackupError, type BackupManifest, BackupManifestSchema } from './manifest.js';
import { assertObjectsPresent, assertStorageEmpty, restoreObjects, verifyCopiedObjects } from './objects.js';
import { runCommand } from './run.js';

/** The manifest, validated; a folder that is not a Vidra backup is refused with the reason. */
export async function readManifest(folder: string): Promise<BackupManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(folder, BACKUP_FILES.manifest), 'utf8'));
  } catch {
    throw new BackupError(`${folder} is not a backup: ${BACKUP_FILES.manifest} is missing or not JSON`);
  }
  const parsed = BackupManifestSchema.safeParse(raw);
  if (!parsed.success)
    throw new BackupError(
      `${folder}/${BACKUP_FILES.manifest} is not a Vidra backup manifest: ${parsed.error.message}`,
    );
  return parsed.data;
}

export async function restore(env: BackupEnv, folder: string): Promise<void> {
  const manifest = await readManifest(folder);
  const target = databaseTarget(env);
  if (target.driver !== manifest.database.driver)
    throw new BackupError(
      `This backup is of ${manifest.database.driver === 'pglite' ? 'an embedded PGlite' : 'a PostgreSQL'} instance; ` +
        `restore it with ${manifest.database.driver === 'pglite' ? 'DATABASE_URL unset' : 'DATABASE_URL set'}`,
    );
  const dataDir = path.resolve(env.DATA_DIR);
  const secretsFile = path.join(dataDir, 'secrets.json');
  const storage = storageFromEnv(env);
  const storageName =
    storage.kind === 'local' ? (env.STORAGE_DIR ?? path.join(dataDir, 'storage')) : env.S3_BUCKET;

  // 1. Refuse a non-empty instance, and a damaged backup, before writing anything.
  await assertDatabaseEmpty(target);
  if (manifest.secrets.secretsJson && existsSync(secretsFile))
    throw new BackupError(`${secretsFile} exists: restore only into a fresh DATA_DIR`);
  if (manifest.storage.copied) await assertStorageEmpty(storage, `${storage.kind}: ${storageName}`);
  const dumpFile = path.join(folder, manifest.database.file);
  const dump = await readFile(dumpFile).catch(() => {
    throw new BackupError(`The backup is incomplete: ${manifest.database.file} is missing`);
  });
  if (createHash('sha256').update(dump).digest('hex') !== manifest.database.sha256)
    throw new BackupError(`The backup is damaged: ${manifest.database.file} does not match its checksum`);
  if (manifest.storage.copied) await verifyCopiedObjects(folder, manifest.storage.objects);
  else await assertObjectsPresent(storage, manifest.storage.objects);

  // 2. Storage first, then the database (one transaction for PostgreSQL), then the secrets.
  if (manifest.storage.copied) await restoreObjects(storage, folder, manifest.storage.objects);
  await restoreDatabase(target, dumpFile);
  if (manifest.secrets.secretsJson) {
    await mkdir(dataDir, { recursive: true });
    await copyFile(path.join(folder, BACKUP_FILES.secrets), secretsFile);
  }
  console.log(
    `Restored ${manifest.storage.videos} videos and ${manifest.storage.objects.length} storage objects ` +
      `into ${describeTarget(target)} (backup of ${manifest.createdAt}).`,
  );
  if (manifest.secrets.environment.length)
    console.log(
      `The instance had ${manifest.secrets.environment.join(', ')} from its environment: set them again from ` +
        `${path.join(folder, BACKUP_FILES.environmentSecrets)} before starting it.`,
    );
}

runCommand(import.meta.url, async (argv) => {
  await restore(parseBackupEnv(), path.resolve(folderArgument(argv)));
});
