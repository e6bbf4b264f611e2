import { pingDatabase } from '../../../db/client.js';
import type { ServiceContext } from './context.js';

/** Readiness of what this origin depends on; throws when the database does not answer. */
export async function checkReadiness(ctx: ServiceContext): Promise<{ database: 'ok' }> {
  await pingDatabase(ctx.db);
  return { database: 'ok' };
}
