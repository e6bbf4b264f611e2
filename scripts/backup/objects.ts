import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Storage } from '../../origin/src/storage/types.js';
import { STORAGE_PREFIXES } from '../../protocol/media.js';
import { BACKUP_FILES, BackupError, type BackupObject } from './manifest.js';

/** sha256 (hex) and size of whatever flows through, passed on unchanged. */
function hashing() {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ sha256: hash.digest('hex'), size }) };
}

/** The objects of the videos the database holds: their sources and everything published for them. */
export async function referencedKeys(storage: Storage, videoIds: readonly string[]): Promise<string[]> {
  const ids = new Set(videoIds);
  const keys: string[] = [];
  for (const prefix of Object.values(STORAGE_PREFIXES)) {
    // `<prefix><videoId>/...`: an object of a video the database no longer knows is an orphan, not backed up.
    for (const key of await storage.list(prefix))
      if (ids.has(key.slice(prefix.length).split('/')[0] ?? '')) keys.push(key);
  }
  return keys.sort();
}

/**
 * Read every object once, hashing it; with `copyTo`, also write it there under its key (local
 * storage: the backup carries the bytes). An object gone between the dump and the copy (a video
 * deleted meanwhile) is left out of the manifest.
 */
export async function snapshotObjects(
  storage: Storage,
  keys: readonly string[],
  copyTo: string | undefined,
): Promise<BackupObject[]> {
  const objects: BackupObject[] = [];
  for (const key of keys) {
    const object = await storage.get(key);
    if (!object) continue;
    const hash = hashing();
    const source = Readable.fromWeb(object.body as import('node:stream/web').ReadableStream<Uint8Array>);
    if (copyTo) {
      const file = path.join(copyTo, key);
      await mkdir(path.dirname(file), { recursive: true });
      await pipeline(source, hash.stream, createWriteStream(file, { mode: 0o600 }));
    } else {
      await pipeline(source, hash.stream, async (chunks: AsyncIterable<Buffer>) => {
        for await (const _ of chunks);
      });
    }
    objects.push({
      key,
      ...hash.result(),
      ...(object.contentType ? { contentType: object.contentType } : {}),
    });
  }
  return objects;
}

/** Where a copied object sits inside a backup folder. */
export const copiedObjectPath = (backup: string, key: string) =>
  path.join(backup, BACKUP_FILES.objectsDir, key);

/** Check every copied object against its manifest entry before anything is written to the target. */
export async function verifyCopiedObjects(backup: string, objects: readonly BackupObject[]): Promise<void> {
  for (const object of objects) {
    const hash = hashing();
    try {
      await pipeline(createReadStream(copiedObjectPath(backup, object.key)), hash.stream, async (chunks) => {
        for await (const _ of chunks as AsyncIterable<Buffer>);
      });
    } catch {
      throw new BackupError(
        `The backup is incomplete: ${object.key} is missing from ${BACKUP_FILES.objectsDir}/`,
      );
    }
    const { sha256, size } = hash.result();
    if (sha256 !== object.sha256 || size !== object.size)
      throw new BackupError(`The backup is damaged: ${object.key} does not match its checksum`);
  }
}

/** Refuse storage that already holds videos or sources. */
export async function assertStorageEmpty(storage: Storage, where: string): Promise<void> {
  for (const prefix of Object.values(STORAGE_PREFIXES)) {
    const [first] = await storage.list(prefix);
    if (first !== undefined)
      throw new BackupError(
        `The storage (${where}) is not empty (it holds ${first}): restore only into empty storage`,
      );
  }
}

/** Put the copied objects into the target storage (any driver), under their keys and content types. */
export async function restoreObjects(storage: Storage, backup: string, objects: readonly BackupObject[]) {
  for (const object of objects)
    await storage.putFile(object.key, copiedObjectPath(backup, object.key), {
      ...(object.contentType ? { contentType: object.contentType } : {}),
    });
}

/** Objects that stayed in the bucket (S3 backups): each must be there, at its size. */
export async function assertObjectsPresent(
  storage: Storage,
  objects: readonly BackupObject[],
): Promise<void> {
  const missing: string[] = [];
  for (const object of objects) {
    const info = await storage.head(object.key);
    if (!info || info.size !== object.size) missing.push(object.key);
  }
  if (missing.length)
    throw new BackupError(
      `${missing.length} objects the backup references are not in the storage, e.g. ${missing.slice(0, 3).join(', ')}`,
    );
}
