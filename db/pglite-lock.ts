import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite has no postmaster: two processes can open one data folder and corrupt it (its
 * `postmaster.pid` says -42 whoever holds it). The process that opens a folder writes its pid
 * here, and others refuse the folder while that process lives: a second `npm start` on the same
 * DATA_DIR, or `npm run backup`/`restore` while the instance runs. A stale file (kill -9) is taken over.
 */
export const PGLITE_LOCK_FILE = 'vidra-owner.pid';

/** The pid of the live process holding `dataDir`, if another one does. */
export function pgliteOwner(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(path.join(dataDir, PGLITE_LOCK_FILE), 'utf8'), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/** The folder is another live process's. */
export class PgliteInUseError extends Error {
  override readonly name = 'PgliteInUseError';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`The embedded database ${dataDir} is in use by process ${pid}; stop that instance first`);
  }
}

/** Claim `dataDir` (created by the caller) for this process; returns the release. */
export function lockPglite(dataDir: string): () => void {
  const owner = pgliteOwner(dataDir);
  if (owner !== undefined) throw new PgliteInUseError(dataDir, owner);
  const file = path.join(dataDir, PGLITE_LOCK_FILE);
  writeFileSync(file, String(process.pid));
  return () => {
    if (pgliteOwner(dataDir) === undefined) rmSync(file, { force: true });
  };
}
