import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Job scratch folders: `job-<job id prefix>-p<pid>-<random>` under WORK_DIR. The pid names the
 * transcoder that owns the folder, so a transcoder starting on the same WORK_DIR (a restart, or a
 * sibling on the same machine) can tell a dead one's leftovers from a live sibling's work.
 */
export function scratchPrefix(jobId: string, pid: number = process.pid): string {
  return `job-${jobId.slice(0, 8)}-p${pid}-`;
}

/** The owning pid of a scratch folder's name, or undefined for a name that is not one. */
export function scratchOwner(name: string): number | undefined {
  const match = /^job-[0-9a-f]{8}-p(\d+)-/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Folders untouched this long are reclaimed even if their owner still runs (a leak in a live process). */
export const SCRATCH_MAX_AGE_MS = 24 * 3600 * 1000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ReclaimOptions {
  /** Folders this process is using right now: never removed. */
  inUse: ReadonlySet<string>;
  maxAgeMs?: number;
  now?: number;
  isAlive?: (pid: number) => boolean;
}

/**
 * Remove scratch folders whose owner is gone, ours from before a restart (same pid, not in use:
 * containers reuse pid 1), and any older than `maxAgeMs`. Returns the names removed.
 */
export async function reclaimScratch(workDir: string, options: ReclaimOptions): Promise<string[]> {
  const { inUse, maxAgeMs = SCRATCH_MAX_AGE_MS, now = Date.now(), isAlive = alive } = options;
  const removed: string[] = [];
  for (const name of await readdir(workDir).catch(() => [] as string[])) {
    const owner = scratchOwner(name);
    const full = path.join(workDir, name);
    if (owner === undefined || inUse.has(full)) continue;
    const stale =
      owner === process.pid ||
      !isAlive(owner) ||
      now -
        (await stat(full).then(
          (s) => s.mtimeMs,
          () => now,
        )) >
        maxAgeMs;
    if (!stale) continue;
    await rm(full, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
