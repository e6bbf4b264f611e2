import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ServiceContext } from '../context.js';
import { abandonUpload, expiredUploadIds, finalizeUpload, uploadStates } from './lifecycle.js';

/**
 * Housekeeping that keeps nothing in limbo, run on a timer by every origin (every step is
 * idempotent and race-safe):
 * - uploads past their expiry are dropped, and their videos can take a new file;
 * - uploads whose bytes all arrived but were never finalized (the origin died in between) are finalized;
 * - staged bytes of finished, cancelled, expired or unknown uploads are removed.
 * Jobs whose runner vanished are the lease watch's concern (`services/jobs/lease-watch.ts`).
 */
export async function sweep(
  ctx: ServiceContext,
  stagingDir: string,
): Promise<{ finalized: number; expired: number; removed: number }> {
  const expired = await expiredUploadIds(ctx);
  for (const id of expired) await abandonUpload(ctx, id, 'expired');

  const staged = (await readdir(stagingDir).catch(() => [] as string[])).filter(
    (name) => !name.endsWith('.json'),
  );
  const states = await uploadStates(ctx, staged);
  let finalized = 0;
  let removed = 0;
  for (const id of staged) {
    const file = path.join(stagingDir, id);
    const upload = states.get(id);
    if (upload?.state === 'pending') {
      const size = await stat(file).then(
        (s) => s.size,
        () => -1,
      );
      if (upload.size !== null && size === upload.size && (await finalizeUpload(ctx, id, file))) finalized++;
      continue;
    }
    await rm(file, { force: true });
    await rm(`${file}.json`, { force: true });
    removed++;
  }
  return { finalized, expired: expired.length, removed };
}
