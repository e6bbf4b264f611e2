import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A small tmpfs of the test's own, so storage can really fill up or turn read-only: CI runs as
 * root, where chmod stops nothing. Needs root (mount).
 */
export interface StorageMount {
  dir: string;
  readOnly(): Promise<void>;
  readWrite(): Promise<void>;
  dispose(): Promise<void>;
}

export async function mountTmpfs(sizeBytes: number): Promise<StorageMount> {
  if (userInfo().uid !== 0)
    throw new Error('the storage fault tests mount a tmpfs and must run as root (CI does)');
  const dir = mkdtempSync(path.join(tmpdir(), 'vidra-fault-store-'));
  await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0755`, 'tmpfs', dir]);
  return {
    dir,
    readOnly: async () => void (await run('mount', ['-o', 'remount,ro', dir])),
    readWrite: async () => void (await run('mount', ['-o', 'remount,rw', dir])),
    async dispose() {
      await run('umount', ['-l', dir]).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
