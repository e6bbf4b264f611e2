import { pingDatabase } from '../../../db/client.js';
import type { ServiceContext } from './context.js';

/** A probe with a short timeout must get an answer, so a ping that hangs counts as a failure. */
export const READINESS_TIMEOUT_MS = 800;

/** Readiness of what this origin depends on; throws when the database does not answer in time. */
export async function checkReadiness(
  ctx: ServiceContext,
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<{ database: 'ok' }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the database did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([pingDatabase(ctx.db), timeout]);
  } finally {
    clearTimeout(timer);
  }
  return { database: 'ok' };
}
