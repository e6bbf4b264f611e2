import { constants } from 'node:fs';
import { access, mkdir, open, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { contentTypeOf } from '../../../protocol/media.js';
import { asStream, checkRange, resolveRange, streamOf } from './bytes.js';
import { InvalidKeyError, StorageError } from './errors.js';
import { validateDeletePrefix, validateKey, validatePrefix } from './keys.js';
import {
  ensureDirInside,
  errno,
  findFileInside,
  type Meta,
  readMeta,
  removeTree,
  resolveInside,
  walkFiles,
  writeAtomically,
  writeMeta,
} from './local-fs.js';
import type { PutFileOptions, Storage, StoredObject } from './types.js';

export interface LocalStorageConfig {
  /** Directory holding `objects/` (the data), `meta/` (content-type sidecars) and `tmp/` (writes in flight). */
  root: string;
}

/**
 * Storage in a local directory, for single-machine installs and development. Objects live at
 * `<root>/objects/<key>`, so keys map one-to-one onto paths and an operator can inspect them; the
 * sidecars live in a parallel `meta/` tree so no key can collide with one.
 */
/**
 * Node's recursive mkdir reports ENOENT on a read-only filesystem; ask the filesystem directly
 * so the caller can say "read-only" (EROFS) instead of "no such file".
 */
async function explainMkdirFailure(error: unknown, root: string): Promise<unknown> {
  const e = error as NodeJS.ErrnoException;
  if (e?.code !== 'ENOENT' || e.syscall !== 'mkdir') return error;
  return access(root, constants.W_OK).then(
    () => error,
    (denied: unknown) => denied,
  );
}

export function createLocalStorage(config: LocalStorageConfig): Storage {
  const root = resolve(config.root);
  const objectsDir = join(root, 'objects');
  const metaDir = join(root, 'meta');
  const tmpDir = join(root, 'tmp');
  // The real root is computed once the directories exist, so a root that is itself a symlink works.
  const ready = (async () => {
    await Promise.all([objectsDir, metaDir, tmpDir].map((dir) => mkdir(dir, { recursive: true })));
    return realpath(root);
  })();
  // Keep a failed mkdir (bad root, permissions) from crashing the process as an unhandled
  // rejection; every method awaits `ready` and reports it there instead.
  ready.catch(() => {});

  const dirs = { metaDir, tmpDir };
  const findFile = async (base: string, key: string) =>
    findFileInside(await ready, join(base, validateKey(key)));

  async function prepare(key: string): Promise<string> {
    const dest = join(objectsDir, validateKey(key));
    await ensureDirInside(await ready, dirname(dest));
    return dest;
  }

  async function store(
    key: string,
    source: Parameters<typeof writeAtomically>[2],
    meta: Meta,
    length?: number,
  ) {
    try {
      await writeAtomically(tmpDir, await prepare(key), source, length);
    } catch (caught) {
      // A key escaping its folder (InvalidKeyError from prepare) stays what it is.
      if (caught instanceof StorageError || caught instanceof InvalidKeyError) throw caught;
      const error = await explainMkdirFailure(caught, objectsDir);
      throw new StorageError(`Could not write ${key}: ${(error as Error).message}`, undefined, errno(error), {
        cause: error,
      });
    }
    await writeMeta(await ready, dirs, key, meta);
  }

  return {
    kind: 'local',

    async put(key, body, options = {}) {
      validateKey(key);
      const { stream, length } = asStream(body);
      if (options.contentLength !== undefined && length !== undefined && options.contentLength !== length) {
        throw new StorageError(
          `contentLength ${options.contentLength} does not match the ${length}-byte body`,
        );
      }
      const meta = { contentType: options.contentType, cacheControl: options.cacheControl };
      // Cancel a body we did not get to read, so an HTTP upload is not left hanging.
      await store(key, { stream }, meta, options.contentLength ?? length).catch(async (error: unknown) => {
        await stream.cancel().catch(() => {});
        throw error;
      });
    },

    async putFile(key, filePath, options: PutFileOptions = {}) {
      validateKey(key);
      if (!(await stat(filePath)).isFile()) throw new StorageError(`${filePath} is not a regular file`);
      await store(
        key,
        { file: filePath },
        { contentType: options.contentType, cacheControl: options.cacheControl },
      );
    },

    async get(key, options = {}): Promise<StoredObject | undefined> {
      if (options.range) checkRange(options.range);
      const file = await findFile(objectsDir, key);
      if (file === undefined) return undefined;
      // O_NOFOLLOW: the path is already real, so a symlink here means it was swapped in since.
      const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW).catch((error: unknown) => {
        if (errno(error) === 'ENOENT') return undefined;
        throw error;
      });
      if (handle === undefined) return undefined;
      try {
        // Size and bytes come from the same open file, even if a writer renames a new one over it.
        const info = await handle.stat();
        const meta = await readMeta(await ready, metaDir, key);
        const range = options.range ? resolveRange(options.range, info.size) : undefined;
        const size = range ? range.end - range.start + 1 : info.size;
        let body: ReadableStream<Uint8Array>;
        if (size === 0) {
          await handle.close();
          body = streamOf(new Uint8Array(0));
        } else {
          const nodeStream = handle.createReadStream({
            start: range?.start ?? 0,
            end: range?.end ?? info.size - 1,
          });
          body = Readable.toWeb(nodeStream) as unknown as ReadableStream<Uint8Array>;
        }
        return {
          body,
          size,
          totalSize: info.size,
          contentType: meta.contentType ?? contentTypeOf(key),
          etag: `"${info.ino.toString(16)}-${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
          ...(meta.cacheControl === undefined ? {} : { cacheControl: meta.cacheControl }),
          ...(range ? { range } : {}),
        };
      } catch (error) {
        await handle.close().catch(() => {});
        throw error;
      }
    },

    async head(key) {
      const file = await findFile(objectsDir, key);
      if (file === undefined) return undefined;
      const meta = await readMeta(await ready, metaDir, key);
      return { size: (await stat(file)).size, contentType: meta.contentType ?? contentTypeOf(key) };
    },

    async exists(key) {
      return (await findFile(objectsDir, key)) !== undefined;
    },

    async list(prefix) {
      validatePrefix(prefix);
      // Walk only the deepest folder the prefix fully names, then filter on the partial last segment.
      const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
      const dir = await resolveInside(await ready, join(objectsDir, folder));
      if (dir === undefined) return [];
      const keys = await walkFiles(dir, folder);
      return keys.filter((key) => key.startsWith(prefix)).sort();
    },

    async deletePrefix(prefix) {
      validateDeletePrefix(prefix);
      const realRoot = await ready;
      const dir = await resolveInside(realRoot, join(objectsDir, prefix));
      if (dir === undefined || !(await stat(dir)).isDirectory()) return 0;
      const count = (await walkFiles(dir, prefix)).length;
      await removeTree(realRoot, dir);
      await removeTree(realRoot, join(metaDir, prefix));
      return count;
    },
  };
}
