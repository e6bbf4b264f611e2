import { sql } from 'drizzle-orm';
import { type Database, openDatabase } from './client.js';

/** Where read-only queries go: a streaming replica while it is healthy and close behind, else the primary. */
export interface ReadRouting {
  /** The database a read that may be a little stale should use, right now. */
  read(): Database;
  /** Seconds the replica's replay trails the primary, at the last check; undefined when unknown. */
  lagSeconds(): number | undefined;
  /** Whether reads go to the replica at the moment. */
  usingReplica(): boolean;
  /** Check the replica once (also run on a timer by `start`). */
  check(): Promise<void>;
  start(): void;
  close(): Promise<void>;
}

export interface ReadRoutingOptions {
  primary: Database;
  /** `DATABASE_REPLICA_URL`: a postgres:// URL of a hot standby. */
  replicaUrl: string;
  /** Past this lag, reads go back to the primary until the replica catches up. */
  maxLagSeconds: number;
  checkIntervalMs: number;
  maxConnections?: number;
  onChange?: (usingReplica: boolean, reason: string) => void;
}

/**
 * Replay lag of a standby: 0 while it has replayed all it received and its WAL receiver streams;
 * otherwise the age of the last replayed transaction (a standby cut off from its primary ages).
 */
const LAG_QUERY = sql`
  select pg_is_in_recovery() as standby,
    case
      when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
        and exists (select 1 from pg_stat_wal_receiver where status = 'streaming') then 0
      else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()), 0)
    end::float8 as lag`;

/** A read router over a replica, checked every `checkIntervalMs`; it starts on the primary. */
export function openReadRouting(options: ReadRoutingOptions): ReadRouting {
  const replica = openDatabase({ url: options.replicaUrl, maxConnections: options.maxConnections ?? 10 });
  let lag: number | undefined;
  let onReplica = false;
  let timer: NodeJS.Timeout | undefined;
  const set = (next: boolean, reason: string) => {
    if (next !== onReplica) options.onChange?.(next, reason);
    onReplica = next;
  };
  const check = async () => {
    try {
      const rows = (await replica.db.execute(LAG_QUERY)) as unknown as Array<{
        standby: boolean;
        lag: number;
      }>;
      const row = Array.from(rows)[0];
      lag = row?.standby ? Number(row.lag) : undefined;
      if (!row?.standby) set(false, 'DATABASE_REPLICA_URL is not a standby');
      else if (Number(row.lag) > options.maxLagSeconds) set(false, `replica lags ${row.lag.toFixed(1)} s`);
      else set(true, 'replica caught up');
    } catch (error) {
      lag = undefined;
      set(false, `replica unreachable: ${(error as Error).message}`);
    }
  };
  return {
    read: () => (onReplica ? replica.db : options.primary),
    lagSeconds: () => lag,
    usingReplica: () => onReplica,
    check,
    start() {
      timer ??= setInterval(() => void check(), options.checkIntervalMs);
      timer.unref();
    },
    async close() {
      clearInterval(timer);
      await replica.close();
    },
  };
}
