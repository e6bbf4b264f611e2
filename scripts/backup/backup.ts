/**
 * `npm run backup [-- <folder>]`: a consistent snapshot of an instance into a new folder (0700):
 * the database (PGlite's data folder, or pg_dump), the secrets (DATA_DIR/secrets.json and those
 * given in the environment; the ES256 access-token keys and the sealed federation keys are rows
 * in the database), and a manifest of every storage object the database's videos reference, with
 * sha256, plus the objects themselves when storage is local. See docs/deploy/backup.md.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { storageFromEnv } from '../../origin/src/main.js';
import { type DatabaseTarget, databaseTarget, describeTarget, dumpDatabase } from './database.js';
import { type BackupEnv, ENVIRONMENT_SECRETS, folderArgument, parseBackupEnv } from './env.js';
import { BACKUP_FILES, BACKUP_FORMAT, BackupError, type BackupManifest } from './manifest.js';
import { referencedKeys, snapshotObjects } from './objects.js';
import { runCommand } from './run.js';

export interface BackupResult {
  folder: string;
  manifest: BackupManifest;
}

/** Take the backup described above into `folder`, which must not exist or be empty. */
export async function backup(env: BackupEnv, folder: string): Promise<BackupResult> {
  const target: DatabaseTarget = databaseTarget(env);
  if (existsSync(folder) && (await readdir(folder)).length > 0)
    throw new BackupError(`${folder} is not empty: name a new folder for the backup`);
  await mkdir(folder, { recursive: true, mode: 0o700 });

  const dumped = await dumpDatabase(target, folder);
  const dumpBytes = await readFile(path.join(folder, dumped.file));

  const secretsFile = path.join(path.resolve(env.DATA_DIR), 'secrets.json');
  const secretsJson = existsSync(secretsFile);
  if (secretsJson) await copyFile(secretsFile, path.join(folder, BACKUP_FILES.secrets));
  const environment = ENVIRONMENT_SECRETS.filter((name) => env[name] !== undefined);
  if (environment.length)
    await writeFile(
      path.join(folder, BACKUP_FILES.environmentSecrets),
      environment.map((name) => `${name}=${env[name]}\n`).join(''),
      { mode: 0o600 },
    );

  // After the dump: every object its videos reference is there now, bar videos deleted meanwhile.
  const storage = storageFromEnv(env);
  const keys = await referencedKeys(storage, dumped.videoIds);
  const copied = storage.kind === 'local';
  const objects = await snapshotObjects(
    storage,
    keys,
    copied ? path.join(folder, BACKUP_FILES.objectsDir) : undefined,
  );

  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    createdAt: new Date().toISOString(),
    database: {
      driver: target.driver,
      file: dumped.file,
      size: dumpBytes.length,
      sha256: createHash('sha256').update(dumpBytes).digest('hex'),
    },
    secrets: { secretsJson, environment: [...environment] },
    storage: { driver: storage.kind, copied, videos: dumped.videoIds.length, objects },
  };
  await writeFile(path.join(folder, BACKUP_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`, {
    mode: 0o600,
  });
  console.log(
    `Backed up ${describeTarget(target)}, ${dumped.videoIds.length} videos and ${objects.length} storage objects` +
      `${copied ? '' : ' (listed; they stay in the bucket)'} into ${folder}`,
  );
  return { folder, manifest };
}

runCommand(import.meta.url, async (argv) => {
  const env = parseBackupEnv();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  await backup(env, path.resolve(folderArgument(argv, path.join('backups', stamp))));
});
