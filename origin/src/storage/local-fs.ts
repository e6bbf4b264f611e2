import { randomUUID } from 'node:crypto';
import { createWriteStream, type Dirent } from 'node:fs';
import {
  copyFile,
  link,
  lstat,
  mkdir,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  stat,
} from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { asStream } from './bytes.js';
import { InvalidKeyError, StorageError } from './errors.js';

/**
 * Filesystem helpers for the local backend. Keys are validated before they get here, so `..` cannot
 * appear; what these guard against is a symlink planted inside the root (by an operator, a restore,
 * another process) that would redirect reads or writes outside it. Every path is resolved with
 * `realpath` and checked against the real root before use; directory walks never follow symlinks.
 */

function isInside(realRoot: string, path: string): boolean {
  return path === realRoot || path.startsWith(realRoot + sep);
}

/** The `code` of a Node system error (`ENOENT`, ...), if it is one. */
export function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** The real path of `path` when it exists inside `realRoot`; undefined when missing; throws when outside. */
export async function resolveInside(realRoot: string, path: string): Promise<string | undefined> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    if (errno(error) === 'ENOENT' || errno(error) === 'ENOTDIR') return undefined;
    throw error;
  }
  if (!isInside(realRoot, real)) throw new InvalidKeyError(path, 'resolves outside the storage root');
  return real;
}

/** Create `dir` (and parents) after checking that the part that already exists stays inside the root. */
export async function ensureDirInside(realRoot: string, dir: string): Promise<void> {
  let existing = dir;
  // Walk up to the deepest ancestor that exists; mkdir -p would otherwise follow a symlink in it.
  while ((await resolveInside(realRoot, existing)) === undefined) {
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  await mkdir(dir, { recursive: true });
  if ((await resolveInside(realRoot, dir)) === undefined) throw new StorageError(`Could not create ${dir}`);
}

/**
 * Write `source` to `dest` through a temp file in `tmpDir` (same filesystem) and a rename, so
 * readers see the old object or the new one, never a partial write. Returns the bytes written.
 */
/**
 * Give `file`'s bytes a second name at `tmp`. On the same filesystem a hard link shares them: a
 * finished 1 GiB upload is then not written a second time before its last PATCH is answered (the
 * staged name is removed later by the upload sweeper; the stored name keeps the bytes). Elsewhere,
 * or for anything but a regular file (link(2) would link a symlink itself), the bytes are copied;
 * copyFile streams in the kernel (copy_file_range/sendfile), so none pass through JS.
 */
async function linkOrCopy(file: string, tmp: string): Promise<void> {
  if ((await lstat(file)).isFile()) {
    try {
      await link(file, tmp);
      return;
    } catch (error) {
      if (!['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP'].includes(errno(error) ?? '')) throw error;
    }
  }
  await copyFile(file, tmp);
}

export async function writeAtomically(
  tmpDir: string,
  dest: string,
  source: { stream: ReadableStream<Uint8Array> } | { file: string },
  expectedLength?: number,
): Promise<number> {
  const tmp = join(tmpDir, randomUUID());
  try {
    let written = 0;
    if ('file' in source) {
      await linkOrCopy(source.file, tmp);
      written = (await stat(tmp)).size;
    } else {
      const count = async function* (chunks: AsyncIterable<Uint8Array>) {
        for await (const chunk of chunks) {
          written += chunk.byteLength;
          yield chunk;
        }
      };
      await pipeline(
        Readable.fromWeb(source.stream as never),
        count,
        createWriteStream(tmp, { flags: 'wx' }),
      );
    }
    if (expectedLength !== undefined && written !== expectedLength) {
      throw new StorageError(`Expected ${expectedLength} bytes but received ${written}`);
    }
    await rename(tmp, dest);
    return written;
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Keys of the regular files under `dir`, prefixed with `keyPrefix`; symlinks are skipped, not followed. */
export async function walkFiles(dir: string, keyPrefix: string, out: string[] = []): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    // A folder deleted while we walk, or a prefix that names a file, simply has no keys.
    if (errno(error) === 'ENOENT' || errno(error) === 'ENOTDIR') return out;
    throw error;
  }
  for (const entry of entries) {
    if (entry.isDirectory()) await walkFiles(join(dir, entry.name), `${keyPrefix}${entry.name}/`, out);
    else if (entry.isFile()) out.push(`${keyPrefix}${entry.name}`);
  }
  return out;
}

/** Remove a directory tree if it exists (symlinks inside are unlinked, never followed). */
export async function removeTree(realRoot: string, dir: string): Promise<void> {
  const real = await resolveInside(realRoot, dir);
  if (real !== undefined && real !== realRoot) await rm(real, { recursive: true, force: true });
}

/** Real path of an existing regular file at `path` inside the root, or undefined. */
export async function findFileInside(realRoot: string, path: string): Promise<string | undefined> {
  const real = await resolveInside(realRoot, path);
  if (real === undefined) return undefined;
  return (await stat(real)).isFile() ? real : undefined;
}

/** Sidecar kept under `meta/<key>` when a write names a content type or cache policy explicitly. */
export interface Meta {
  contentType?: string | undefined;
  cacheControl?: string | undefined;
}

/** The sidecar for `key`, or `{}` when the object was written without one. */
export async function readMeta(realRoot: string, metaDir: string, key: string): Promise<Meta> {
  const file = await findFileInside(realRoot, join(metaDir, key));
  if (file === undefined) return {};
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Meta;
  } catch (error) {
    if (errno(error) === 'ENOENT') return {};
    throw error;
  }
}

/** Write or clear the sidecar after the object, so an overwrite never keeps a stale content type. */
export async function writeMeta(
  realRoot: string,
  dirs: { metaDir: string; tmpDir: string },
  key: string,
  meta: Meta,
): Promise<void> {
  const dest = join(dirs.metaDir, key);
  if (meta.contentType === undefined && meta.cacheControl === undefined) {
    const existing = await findFileInside(realRoot, dest);
    if (existing !== undefined) await rm(existing, { force: true });
    return;
  }
  await ensureDirInside(realRoot, dirname(dest));
  await writeAtomically(dirs.tmpDir, dest, asStream(JSON.stringify(meta)));
}
