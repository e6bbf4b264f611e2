import type { Database } from '../../../db/client.js';
import type { ServiceContext } from './context.js';

/**
 * The database for a read that may trail the caller's own writes by the replica's lag (at most
 * DATABASE_REPLICA_MAX_LAG_SECONDS): public lists, search, anonymous comment pages. The replica
 * when `DATABASE_REPLICA_URL` is set and healthy, else the primary. Reads that must see the
 * caller's own write (their channel right after an upload, a thread right after they commented)
 * keep using `ctx.db`.
 */
export function readDb(ctx: ServiceContext): Database {
  return ctx.reads?.read() ?? ctx.db;
}
