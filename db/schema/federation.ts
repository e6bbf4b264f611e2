import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { channels } from './channels.js';

/**
 * Key pairs of our actors: RSA (draft-cavage signatures) and Ed25519 (Object Integrity Proofs).
 * `actor` is `instance`, `user:<uuid>` or `channel:<uuid>`. Private keys are JWKs sealed with
 * AES-256-GCM under FEDERATION_KEY_SECRET (services/federation/keys.ts), never stored in clear.
 */
export const federationKeys = pgTable('federation_keys', {
  actor: text('actor').primaryKey(),
  rsaPublicJwk: jsonb('rsa_public_jwk').notNull(),
  rsaPrivateSealed: text('rsa_private_sealed').notNull(),
  ed25519PublicJwk: jsonb('ed25519_public_jwk').notNull(),
  ed25519PrivateSealed: text('ed25519_private_sealed').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** fedify's KvStore (caches, inbox idempotence): one JSON value per key, with an optional expiry. */
export const federationKv = pgTable(
  'federation_kv',
  {
    key: text('key').primaryKey(),
    value: jsonb('value').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [index('federation_kv_expires_idx').on(t.expiresAt)],
);

/** fedify's MessageQueue: taken `FOR UPDATE SKIP LOCKED` once `run_at` passed; a lease covers the handler. */
export const federationQueue = pgTable(
  'federation_queue',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().primaryKey(),
    message: jsonb('message').notNull(),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('federation_queue_run_at_idx').on(t.runAt)],
);

/**
 * Remote actors following one of ours. `local_actor` as in `federation_keys`. `gone_at` is set
 * when their inbox answered 404/410: nothing more is sent to them.
 */
export const federationFollowers = pgTable(
  'federation_followers',
  {
    localActor: text('local_actor').notNull(),
    followerId: text('follower_id').notNull(),
    inbox: text('inbox').notNull(),
    sharedInbox: text('shared_inbox'),
    followActivityId: text('follow_activity_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    goneAt: timestamp('gone_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.localActor, t.followerId] })],
);

/** Every activity our inboxes accepted, once per id: the dedupe key and the admins' inbound log. */
export const federationInbound = pgTable(
  'federation_inbound',
  {
    activityId: text('activity_id').primaryKey(),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('federation_inbound_received_idx').on(t.receivedAt)],
);

/**
 * Our own deliveries of PeerTube-shaped activities (fedify's vocabulary drops PeerTube's
 * extension fields such as `uuid`, so these are signed and posted as raw JSON; ADR 0018).
 * One row per (activity, inbox); retried with backoff; `host` feeds the per-host breaker.
 */
export const federationDeliveries = pgTable(
  'federation_deliveries',
  {
    activityId: text('activity_id').notNull(),
    inbox: text('inbox').notNull(),
    host: text('host').notNull(),
    senderActor: text('sender_actor').notNull(),
    activity: jsonb('activity').notNull(),
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.activityId, t.inbox] }),
    index('federation_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
  ],
);

/** Instances (`host`) and actors (`actor` id) whose activities our inboxes refuse. */
export const federationBlocks = pgTable('federation_blocks', {
  target: text('target').primaryKey(),
  reason: text('reason').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Remote channels our users follow (issue 14): `pending` until the remote Accept arrives, then
 * `accepted` (the user is subscribed to the channel's local mirror); `rejected` when refused.
 * `follow_activity_id` is what the Accept names and what an Undo takes back.
 */
export const federationFollowing = pgTable(
  'federation_following',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    followActivityId: text('follow_activity_id').notNull(),
    state: text('state').notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.channelId] }),
    uniqueIndex('federation_following_activity_key').on(t.followActivityId),
  ],
);
