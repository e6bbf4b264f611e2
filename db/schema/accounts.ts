import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ROLES } from '../../protocol/auth.js';

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
};

export const roleEnum = pgEnum('role', ROLES);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: roleEnum('role').notNull().default('user'),
    /** Bytes of source video this user may store; null means the instance default. */
    videoQuotaBytes: integer('video_quota_bytes'),
    /** Set while an admin has suspended the account: no sign-in, no refresh, no writes, no playback. */
    suspendedAt: timestamp('suspended_at', { withTimezone: true }),
    /**
     * Set on the stand-in of a remote account (a federated comment's or like's author, a remote
     * channel's owner): its ActivityPub id. Such a row never signs in (its email is not an address)
     * and is no local actor; its username is `name@host`, which no local name can be.
     */
    remoteActorId: text('remote_actor_id'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('users_remote_actor_key').on(t.remoteActorId),
    uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
    uniqueIndex('users_username_lower_key').on(sql`lower(${t.username})`),
  ],
);

/**
 * A refresh-token family is one sign-in. Every refresh rotates the token within the family;
 * presenting a token that was already rotated away revokes the whole family (reuse detection).
 */
export const refreshTokenFamilies = pgTable(
  'refresh_token_families',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: text('revoked_reason'),
    ...timestamps,
  },
  (t) => [index('refresh_token_families_user_idx').on(t.userId)],
);

export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    familyId: uuid('family_id')
      .notNull()
      .references(() => refreshTokenFamilies.id, { onDelete: 'cascade' }),
    /** SHA-256 of the secret half of the token; the secret itself is never stored. */
    secretHash: text('secret_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ...timestamps,
  },
  (t) => [index('refresh_tokens_family_idx').on(t.familyId)],
);

/**
 * Asymmetric keys that sign access tokens. Shared through the database so every origin signs
 * with the same active key and publishes the same JWKS.
 */
export const signingKeys = pgTable('signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  publicJwk: jsonb('public_jwk').notNull(),
  privateJwk: jsonb('private_jwk').notNull(),
  /** After this instant the key no longer signs, but stays in the JWKS. */
  retiresAt: timestamp('retires_at', { withTimezone: true }).notNull(),
  /** After this instant every token it signed has expired, so it leaves the JWKS. */
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  ...timestamps,
});

/** Fixed-window failure counters for brute-force throttling (login, video passwords). */
export const authThrottle = pgTable('auth_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});

/**
 * The one namespace of local actor names (PeerTube's rule): every local username and channel
 * handle, lower-cased, holds one row, claimed and freed by triggers on `users` and `channels`
 * (migration `federation_names`), so an account and a channel can never share a name, even when
 * created at the same moment. WebFinger's `acct:name@host` thus names one actor. Remote accounts'
 * stand-ins and remote channels' mirrors (`name@host`) are outside it. `vidra-instance` is taken.
 */
export const actorNames = pgTable('actor_names', {
  name: text('name').primaryKey(),
});
