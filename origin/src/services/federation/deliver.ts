import { signRequest } from '@fedify/fedify';
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../../../../db/client.js';
import { federationDeliveries, federationFollowers } from '../../../../db/schema/index.js';
import type { Logger } from '../../lib/logger.js';
import { rowsOf } from '../notifications/deliver.js';
import type { VidraFederation } from './federation.js';
import { classifyStatus, DELIVERY_RETRY, HostBreakers, retryDelayMs } from './retry.js';

export interface DeliveryLimits {
  /** Requests in flight from this origin, all hosts together. */
  concurrency: number;
  /** Requests in flight to one host. */
  perHost: number;
  /** A request that has not answered by then counts as a failure (and is retried). */
  timeoutMs: number;
  pollMs: number;
}

export const DEFAULT_LIMITS: DeliveryLimits = { concurrency: 32, perHost: 8, timeoutMs: 10_000, pollMs: 500 };

type OutgoingActivity = { id: string } & Record<string, unknown>;

/** Options of `queueDeliveries`: a later first attempt, and whether a waiting row takes the new JSON. */
export interface QueueOptions {
  notBefore?: Date;
  /** A row of the same activity id not tried yet carries this activity instead (views updates). */
  refreshPending?: boolean;
}

/** Rows for `activity` to each of `inboxes`, one per (activity id, inbox): queued once, ever. */
export async function queueDeliveries(
  db: Database,
  sender: { identifier: string },
  activity: OutgoingActivity,
  inboxes: readonly string[],
  options: QueueOptions = {},
): Promise<number> {
  if (!inboxes.length) return 0;
  const insert = db.insert(federationDeliveries).values(
    inboxes.map((inbox) => ({
      activityId: activity.id,
      inbox,
      host: new URL(inbox).host,
      senderActor: sender.identifier,
      activity,
      ...(options.notBefore ? { nextAttemptAt: options.notBefore } : {}),
    })),
  );
  await (options.refreshPending
    ? insert.onConflictDoUpdate({
        target: [federationDeliveries.activityId, federationDeliveries.inbox],
        set: { activity: sql`excluded.activity` },
        setWhere: sql`${federationDeliveries.state} = 'pending' and ${federationDeliveries.attempts} = 0`,
      })
    : insert.onConflictDoNothing());
  return inboxes.length;
}

/** The inboxes of a local actor's live followers, shared ones first: one request per instance. */
export async function followerInboxes(db: Database, localActor: string): Promise<string[]> {
  const followers = await db
    .select()
    .from(federationFollowers)
    .where(and(eq(federationFollowers.localActor, localActor), isNull(federationFollowers.goneAt)));
  return [...new Set(followers.map((f) => f.sharedInbox ?? f.inbox))];
}

/** One activity (already PeerTube-shaped JSON) from a local actor, to the inboxes of its followers. */
export async function queueToFollowers(
  db: Database,
  sender: { key: string; identifier: string },
  activity: OutgoingActivity,
  options: QueueOptions = {},
): Promise<number> {
  return queueDeliveries(db, sender, activity, await followerInboxes(db, sender.key), options);
}

type Row = typeof federationDeliveries.$inferSelect;

/**
 * Posts queued deliveries, signed (draft-cavage, with Digest) by the sending actor's RSA key.
 * Bounded overall and per host; retried with jittered backoff on 5xx and timeouts; 404/410 mark
 * the followers behind that inbox gone; a host that keeps failing trips its breaker and waits.
 * Rows are leased `FOR UPDATE SKIP LOCKED`, so several origins share the work and a crashed one
 * loses only its leases, which come back a few seconds after the request timeout.
 */
export function startDeliveryWorker(
  db: Database,
  federation: VidraFederation,
  publicUrl: string,
  logger: Logger,
  limits: DeliveryLimits = DEFAULT_LIMITS,
) {
  const breakers = new HostBreakers();
  const inFlightPerHost = new Map<string, number>();
  let inFlight = 0;
  let peakInFlight = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  const running = new Set<Promise<void>>();
  const ctx = federation.createContext(new URL(publicUrl), undefined);
  // A claimed row stays invisible while its request may still be running, and no longer: after a
  // crash, its deliveries come back this soon.
  const leaseSeconds = Math.ceil(limits.timeoutMs / 1000) + 5;

  async function claim(limit: number): Promise<Row[]> {
    const blocked = breakers.openHosts();
    const result = await db.execute(sql`
      update federation_deliveries d set next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
      where (d.activity_id, d.inbox) in (
        select activity_id, inbox from federation_deliveries
        where state = 'pending' and next_attempt_at <= now()
        ${
          blocked.length
            ? sql`and host not in (${sql.join(
                blocked.map((h) => sql`${h}`),
                sql`, `,
              )})`
            : sql``
        }
        order by next_attempt_at limit ${limit} for update skip locked)
      returning d.*`);
    return rowsOf<Record<string, unknown>>(result).map((r) => ({
      activityId: r.activity_id as string,
      inbox: r.inbox as string,
      host: r.host as string,
      senderActor: r.sender_actor as string,
      activity: r.activity,
      state: r.state as string,
      attempts: Number(r.attempts),
      nextAttemptAt: new Date(r.next_attempt_at as string),
      lastError: (r.last_error as string | null) ?? null,
      createdAt: new Date(r.created_at as string),
    }));
  }

  // One actor's key serves its whole fan-out: looked up once a minute, not once per request.
  const keys = new Map<
    string,
    { at: number; key: Promise<{ keyId: URL; privateKey: CryptoKey } | undefined> }
  >();
  function signingKey(actor: string) {
    const cached = keys.get(actor);
    if (cached && Date.now() - cached.at < 60_000) return cached.key;
    const key = ctx
      .getActorKeyPairs(actor)
      .then((pairs) => pairs.find((k) => k.privateKey.algorithm.name === 'RSASSA-PKCS1-v1_5'));
    keys.set(actor, { at: Date.now(), key });
    key.catch(() => keys.delete(actor));
    return key;
  }

  async function post(row: Row): Promise<{ status?: number; error?: string }> {
    const key = await signingKey(row.senderActor);
    if (!key) return { error: `no key for ${row.senderActor}` };
    const body = new TextEncoder().encode(JSON.stringify(row.activity));
    const request = await signRequest(
      new Request(row.inbox, {
        method: 'POST',
        headers: { 'content-type': 'application/activity+json', accept: 'application/activity+json' },
        body,
      }),
      key.privateKey,
      key.keyId,
      { spec: 'draft-cavage-http-signatures-12', body: body.buffer as ArrayBuffer },
    );
    try {
      const response = await fetch(request, {
        signal: AbortSignal.timeout(limits.timeoutMs),
        redirect: 'manual',
      });
      await response.body?.cancel();
      return { status: response.status };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  async function settle(row: Row, outcome: { status?: number; error?: string }) {
    const verdict = outcome.status === undefined ? 'retry' : classifyStatus(outcome.status);
    breakers.record(row.host, verdict === 'delivered' || verdict === 'gone');
    const key = and(
      eq(federationDeliveries.activityId, row.activityId),
      eq(federationDeliveries.inbox, row.inbox),
    );
    const attempts = row.attempts + 1;
    const lastError = outcome.error ?? (outcome.status ? `HTTP ${outcome.status}` : null);
    if (verdict === 'delivered') {
      await db.update(federationDeliveries).set({ state: 'delivered', attempts, lastError: null }).where(key);
    } else if (verdict === 'gone') {
      await db.update(federationDeliveries).set({ state: 'gone', attempts, lastError }).where(key);
      await db
        .update(federationFollowers)
        .set({ goneAt: new Date() })
        .where(or(eq(federationFollowers.inbox, row.inbox), eq(federationFollowers.sharedInbox, row.inbox)));
    } else if (verdict === 'failed' || attempts >= DELIVERY_RETRY.maxAttempts) {
      await db.update(federationDeliveries).set({ state: 'failed', attempts, lastError }).where(key);
    } else {
      const next = new Date(Date.now() + retryDelayMs(attempts, Math.random(), retryPolicy));
      await db.update(federationDeliveries).set({ attempts, lastError, nextAttemptAt: next }).where(key);
    }
  }

  let retryPolicy = DELIVERY_RETRY;

  function run(row: Row) {
    inFlight += 1;
    peakInFlight = Math.max(peakInFlight, inFlight);
    inFlightPerHost.set(row.host, (inFlightPerHost.get(row.host) ?? 0) + 1);
    const task = post(row)
      .then((outcome) => settle(row, outcome))
      .catch((error: unknown) =>
        logger.error({ err: error, inbox: row.inbox }, 'federation: delivery crashed'),
      )
      .finally(() => {
        inFlight -= 1;
        inFlightPerHost.set(row.host, (inFlightPerHost.get(row.host) ?? 1) - 1);
        running.delete(task);
        wake?.();
      });
    running.add(task);
  }

  async function loop() {
    while (!stopped) {
      const room = limits.concurrency - inFlight;
      let started = 0;
      if (room > 0) {
        const rows = await claim(room).catch((error: unknown) => {
          logger.error({ err: error }, 'federation: claim failed');
          return [] as Row[];
        });
        const deferred: Row[] = [];
        for (const row of rows) {
          if ((inFlightPerHost.get(row.host) ?? 0) >= limits.perHost) deferred.push(row);
          else {
            run(row);
            started += 1;
          }
        }
        // Over the host's share: give the lease back at once rather than hold it.
        for (const row of deferred) {
          await db
            .update(federationDeliveries)
            .set({ nextAttemptAt: new Date() })
            .where(
              and(
                eq(federationDeliveries.activityId, row.activityId),
                eq(federationDeliveries.inbox, row.inbox),
              ),
            );
        }
      }
      if (started === 0 || inFlight >= limits.concurrency) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, limits.pollMs);
          function done() {
            clearTimeout(timer);
            wake = undefined;
            resolve();
          }
          wake = done;
        });
      }
    }
  }

  const looping = loop();
  return {
    nudge: () => wake?.(),
    /** For tests and benches: a faster schedule. */
    setRetryPolicy(policy: typeof DELIVERY_RETRY) {
      retryPolicy = policy;
    },
    stats: () => ({ inFlight, peakInFlight, breakers: breakers.snapshot() }),
    async stop() {
      stopped = true;
      wake?.();
      await looping;
      await Promise.allSettled([...running]);
    },
  };
}

export type DeliveryWorker = ReturnType<typeof startDeliveryWorker>;
