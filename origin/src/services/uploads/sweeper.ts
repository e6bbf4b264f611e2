import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ServiceContext } from '../context.js';
import { reapExpiredLeases } from '../jobs/queue.js';
import { abandonUpload, expiredUploadIds, finalizeUpload, pendingUploads } from './lifecycle.js';

/**
 * Housekeeping that keeps nothing in limbo, run on a timer by every origin (all steps are
 * idempotent and race-safe):
 * - uploads whose bytes all arrived but were never finalized (origin died in between) are finalized;
 * - uploads past their expiry are dropped and their videos can take a new file;
 * - jobs whose runner vanished go back on the queue.
 */
export async function sweep(
  ctx: ServiceContext,
  stagingDir: string,
): Promise<{ finalized: number; expired: number; reaped: number }> {
  let finalized = 0;
  for (const upload of await pendingUploads(ctx)) {
    const staged = path.join(stagingDir, upload.id);
    const size = await stat(staged).then(
      (s) => s.size,
      () => -1,
    );
    if (upload.size !== null && size === upload.size && (await finalizeUpload(ctx, upload.id, staged)))
      finalized++;
  }
  const expired = await expiredUploadIds(ctx);
  for (const id of expired) {
    await abandonUpload(ctx, id, 'expired');
    await rm(path.join(stagingDir, id), { force: true });
    await rm(path.join(stagingDir, `${id}.json`), { force: true });
  }
  const reaped = await reapExpiredLeases(ctx);
  return { finalized, expired: expired.length, reaped };
}
