import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseBackupEnv } from './env.js';
import { BACKUP_FORMAT, BackupError, type BackupManifest } from './manifest.js';
import { restore } from './restore.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
let root: string;
let backup: string;
let dataDir: string;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'vidra-restore-'));
  backup = path.join(root, 'backup');
  dataDir = path.join(root, 'data');
  mkdirSync(path.join(backup, 'storage/videos/v1/hls'), { recursive: true });
  writeFileSync(path.join(backup, 'database.tar.gz'), 'not really a tarball');
  writeFileSync(path.join(backup, 'storage/videos/v1/hls/master.m3u8'), '#EXTM3U\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function writeManifest(overrides: { dumpSha?: string; objectSha?: string } = {}) {
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    createdAt: new Date().toISOString(),
    database: {
      driver: 'pglite',
      file: 'database.tar.gz',
      size: 20,
      sha256: overrides.dumpSha ?? sha256('not really a tarball'),
    },
    secrets: { secretsJson: false, environment: [] },
    storage: {
      driver: 'local',
      copied: true,
      videos: 1,
      objects: [
        { key: 'videos/v1/hls/master.m3u8', size: 8, sha256: overrides.objectSha ?? sha256('#EXTM3U\n') },
      ],
    },
  };
  writeFileSync(path.join(backup, 'manifest.json'), JSON.stringify(manifest));
}

const restoreInto = (env: Record<string, string> = {}) =>
  restore(parseBackupEnv({ DATA_DIR: dataDir, ...env }), backup);
/** Nothing of the backup reached the target. */
const targetUntouched = () =>
  !existsSync(path.join(dataDir, 'pglite')) && !existsSync(path.join(dataDir, 'storage/objects/videos'));

describe('restore refuses before writing anything', () => {
  it('a folder that is not a Vidra backup', async () => {
    await expect(restoreInto()).rejects.toThrow(/is not a backup: manifest.json is missing/);
    writeFileSync(path.join(backup, 'manifest.json'), JSON.stringify({ format: 'other/9' }));
    await expect(restoreInto()).rejects.toThrow(/is not a Vidra backup manifest/);
  });

  it('a damaged database dump, and a storage object that does not match its checksum', async () => {
    writeManifest({ dumpSha: sha256('something else') });
    await expect(restoreInto()).rejects.toThrow('database.tar.gz does not match its checksum');
    writeManifest({ objectSha: sha256('tampered') });
    await expect(restoreInto()).rejects.toThrow('videos/v1/hls/master.m3u8 does not match its checksum');
    expect(targetUntouched()).toBe(true);
  });

  it('a non-empty data folder, and a PostgreSQL target for a PGlite backup', async () => {
    writeManifest();
    mkdirSync(path.join(dataDir, 'pglite'), { recursive: true });
    writeFileSync(path.join(dataDir, 'pglite/PG_VERSION'), '17');
    const refused = restoreInto();
    await expect(refused).rejects.toBeInstanceOf(BackupError);
    await expect(refused).rejects.toThrow(/is not empty: restore only into a fresh DATA_DIR/);
    expect(readdirSync(path.join(dataDir, 'pglite'))).toEqual(['PG_VERSION']);
    await expect(restoreInto({ DATABASE_URL: 'postgres://postgres@127.0.0.1:9/none' })).rejects.toThrow(
      'This backup is of an embedded PGlite instance; restore it with DATABASE_URL unset',
    );
  });
});
