import {
  type ActorKeyPair,
  type Context,
  createExponentialBackoffPolicy,
  createFederation,
  type Federation,
  type InboxContext,
  ParallelMessageQueue,
} from '@fedify/fedify';
import {
  Accept,
  type Activity,
  Announce,
  Application,
  Create,
  Delete,
  Dislike,
  Endpoints,
  Follow,
  Group,
  Like,
  Person,
  Reject,
  Undo,
  Update,
} from '@fedify/vocab';
import { Temporal } from '@js-temporal/polyfill';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../../../db/client.js';
import { federationBlocks, federationFollowers, federationInbound } from '../../../../db/schema/index.js';
import type { Logger } from '../../lib/logger.js';
import { findLocalActor, identifierOfName, type LocalActor } from './actors.js';
import { actorKeyPairs } from './keys.js';
import { PgKvStore } from './kv.js';
import { PgMessageQueue } from './queue.js';

/** Settings of federation, from `env.ts` (FEDERATION_*). */
export interface FederationSettings {
  /** `PUBLIC_URL`: the origin of every id we hand out. */
  publicUrl: string;
  /** Seals actors' private keys at rest. */
  keySecret: string;
  /** Loopback and private peers are refused unless this is on (tests, closed networks). */
  allowPrivateAddress: boolean;
  /** Signed requests older or newer than this are refused. */
  signatureWindowSeconds: number;
  /** Queue workers of this origin (fedify's inbox and outbox). */
  queueWorkers: number;
  /** Set when remote media reach viewers through the edge's proxy (`FEDERATION_MEDIA_PROXY`). */
  mediaProxySecret?: string | undefined;
}

export type VidraFederation = Federation<void>;

/** Hooks other parts of federation plug into (remote content, tests). */
export interface InboundHooks {
  /** Called once per accepted activity id, after the inbound log has it. */
  onActivity?: (activity: Activity, ctx: InboxContext<void>) => Promise<void> | void;
}

const ACTOR_PATH = '/{+identifier}';

/** Blocked when the actor id, or its host, is on the blocklist. */
async function isBlocked(db: Database, actorId: URL): Promise<boolean> {
  const rows = await db
    .select({ target: federationBlocks.target })
    .from(federationBlocks)
    .where(eq(federationBlocks.target, actorId.host));
  if (rows.length) return true;
  const actors = await db.select().from(federationBlocks).where(eq(federationBlocks.target, actorId.href));
  return actors.length > 0;
}

/**
 * Records an activity in the inbound log, once per id. False when it was already there (a replay
 * or a redelivery), so its effects never happen twice, or when its sender is blocked.
 */
async function admit(db: Database, activity: Activity, logger: Logger): Promise<boolean> {
  if (!activity.id || !activity.actorId) return false;
  if (await isBlocked(db, activity.actorId)) {
    logger.info({ actor: activity.actorId.href }, 'federation: blocked sender');
    return false;
  }
  const inserted = await db
    .insert(federationInbound)
    .values({ activityId: activity.id.href, type: activity.constructor.name, actor: activity.actorId.href })
    .onConflictDoNothing()
    .returning({ id: federationInbound.activityId });
  return inserted.length > 0;
}

function buildActor(actor: LocalActor, ctx: Context<void>, keys: ActorKeyPair[]) {
  const common = {
    id: ctx.getActorUri(actor.identifier),
    preferredUsername: actor.name,
    inbox: ctx.getInboxUri(actor.identifier),
    // Our own routes serve the collections, paged like PeerTube's (routes/federation.ts).
    outbox: new URL(`${ctx.getActorUri(actor.identifier).href}/outbox`),
    followers: new URL(`${ctx.getActorUri(actor.identifier).href}/followers`),
    following: new URL(`${ctx.getActorUri(actor.identifier).href}/following`),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    url: ctx.getActorUri(actor.identifier),
    publicKey: keys[0]?.cryptographicKey,
    assertionMethods: keys.map((k) => k.multikey),
  };
  if (actor.kind === 'instance') return new Application({ ...common, name: 'Vidra' });
  if (actor.kind === 'user')
    return new Person({ ...common, name: actor.name, published: toInstant(actor.createdAt) });
  return new Group({
    ...common,
    name: actor.displayName,
    summary: actor.description || null,
    published: toInstant(actor.createdAt),
    attribution: ctx.getActorUri(`accounts/${actor.ownerUsername}`),
  });
}

const toInstant = (date: Date) => Temporal.Instant.fromEpochMilliseconds(date.getTime());

/**
 * The fedify federation of an origin: actors (Person per account, Group per channel, the instance
 * Application) with RSA + Ed25519 keys, WebFinger, followers, and the inbox, whose signature
 * checks (cavage and RFC 9421, Digest, Object Integrity Proofs, time window, key owner) are
 * fedify's. Queues and caches live in PostgreSQL (`PgKvStore`, `PgMessageQueue`).
 */
export function createVidraFederation(
  db: Database,
  settings: FederationSettings,
  logger: Logger,
  hooks: InboundHooks = {},
): VidraFederation {
  const federation = createFederation<void>({
    kv: new PgKvStore(db),
    queue: new ParallelMessageQueue(new PgMessageQueue(db), settings.queueWorkers),
    origin: settings.publicUrl,
    // Started by `startFederationQueue`, so that closing an origin stops its workers first.
    manuallyStartQueue: true,
    allowPrivateAddress: settings.allowPrivateAddress,
    signatureTimeWindow: { seconds: settings.signatureWindowSeconds },
    // Most peers (PeerTube, Mastodon) speak draft-cavage: starting with it saves a second request.
    firstKnock: 'draft-cavage-http-signatures-12',
    // 20 attempts capped at 6 h apart: retried for well over 24 h before giving up.
    outboxRetryPolicy: createExponentialBackoffPolicy({ maxAttempts: 20, maxDelay: { hours: 6 } }),
    onOutboxError: (error, activity) =>
      logger.warn({ err: error, activity: activity?.id?.href }, 'federation: delivery failed'),
  });

  federation
    .setActorDispatcher(ACTOR_PATH, async (ctx, identifier) => {
      const actor = await findLocalActor(db, identifier);
      if (!actor) return null;
      return buildActor(actor, ctx, await ctx.getActorKeyPairs(identifier));
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) => {
      const actor = await findLocalActor(db, identifier);
      if (!actor) return [];
      const pairs = await actorKeyPairs(db, settings.keySecret, actor.key);
      return [pairs.rsa, pairs.ed25519];
    })
    .mapHandle(async (_ctx, username) => (await identifierOfName(db, username)) ?? null)
    .mapAlias((_ctx, resource) => {
      // `https://host/accounts/alice` in WebFinger resolves like `acct:alice@host`.
      const path = resource.pathname.replace(/^\/+/, '');
      return resource.origin === new URL(settings.publicUrl).origin && path ? { identifier: path } : null;
    });

  // Outbox, followers and following are our routes (routes/federation.ts, services/.../collections.ts).

  const accepted = async (ctx: InboxContext<void>, activity: Activity) => {
    if (!(await admit(db, activity, logger))) return false;
    await hooks.onActivity?.(activity, ctx);
    return true;
  };

  federation
    .setInboxListeners(`${ACTOR_PATH}/inbox`, '/inbox')
    .on(Follow, async (ctx, follow) => {
      if (!follow.id || !follow.objectId) return;
      const parsed = ctx.parseUri(follow.objectId);
      if (parsed?.type !== 'actor') return;
      const local = await findLocalActor(db, parsed.identifier);
      if (!local || !(await accepted(ctx, follow))) return;
      const follower = await follow.getActor(ctx);
      if (!follower?.id || !follower.inboxId) return;
      const recipient = { id: follower.id, inboxId: follower.inboxId, endpoints: follower.endpoints };
      const blocked = await isBlocked(db, follower.id);
      if (!blocked) {
        await db
          .insert(federationFollowers)
          .values({
            localActor: local.key,
            followerId: follower.id.href,
            inbox: follower.inboxId.href,
            sharedInbox: follower.endpoints?.sharedInbox?.href ?? null,
            followActivityId: follow.id.href,
          })
          .onConflictDoUpdate({
            target: [federationFollowers.localActor, federationFollowers.followerId],
            set: { inbox: follower.inboxId.href, followActivityId: follow.id.href, goneAt: null },
          });
      }
      const Answer = blocked ? Reject : Accept;
      await ctx.sendActivity(
        { identifier: local.identifier },
        recipient,
        new Answer({
          id: new URL(
            `${ctx.getActorUri(local.identifier).href}#accepts/${encodeURIComponent(follow.id.href)}`,
          ),
          actor: ctx.getActorUri(local.identifier),
          object: follow,
        }),
      );
    })
    .on(Undo, async (ctx, undo) => {
      if (!(await accepted(ctx, undo))) return;
      const object = await undo.getObject(ctx);
      if (object instanceof Follow && object.objectId && undo.actorId) {
        const parsed = ctx.parseUri(object.objectId);
        if (parsed?.type !== 'actor') return;
        const local = await findLocalActor(db, parsed.identifier);
        if (!local) return;
        await db
          .delete(federationFollowers)
          .where(
            and(
              eq(federationFollowers.localActor, local.key),
              eq(federationFollowers.followerId, undo.actorId.href),
            ),
          );
      }
    })
    .on(Create, async (ctx, activity) => void (await accepted(ctx, activity)))
    .on(Update, async (ctx, activity) => void (await accepted(ctx, activity)))
    .on(Delete, async (ctx, activity) => void (await accepted(ctx, activity)))
    .on(Announce, async (ctx, activity) => void (await accepted(ctx, activity)))
    .on(Like, async (ctx, activity) => void (await accepted(ctx, activity)))
    .on(Dislike, async (ctx, activity) => void (await accepted(ctx, activity)))
    .on(Accept, async (ctx, activity) => void (await accepted(ctx, activity)))
    .on(Reject, async (ctx, activity) => void (await accepted(ctx, activity)))
    .onError((_ctx, error) => logger.warn({ err: error }, 'federation: inbox listener failed'));

  return federation;
}

/** Run this origin's share of fedify's queue (inbox, outbox) until the returned stop is called. */
export function startFederationQueue(federation: VidraFederation, logger: Logger): () => void {
  const abort = new AbortController();
  federation
    .startQueue(undefined, { signal: abort.signal })
    .catch((error: unknown) => logger.error({ err: error }, 'federation: queue stopped'));
  return () => abort.abort();
}
