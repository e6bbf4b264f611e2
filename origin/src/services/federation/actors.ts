import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../../../db/client.js';
import { channels, users } from '../../../../db/schema/index.js';
import { INSTANCE_ACTOR_NAME } from '../../../../protocol/activitypub/paths.js';

/**
 * A local actor. fedify identifiers are the path of the actor's id (`accounts/alice`,
 * `video-channels/alice_channel`, `accounts/vidra-instance`), so ids keep PeerTube's spelling;
 * `key` names its row in `federation_keys` and `federation_followers`.
 */
export type LocalActor =
  | { kind: 'instance'; identifier: string; key: 'instance'; name: string }
  | { kind: 'user'; identifier: string; key: string; name: string; userId: string; createdAt: Date }
  | {
      kind: 'channel';
      identifier: string;
      key: string;
      name: string;
      channelId: string;
      displayName: string;
      description: string;
      ownerUsername: string;
      createdAt: Date;
    };

export const INSTANCE_IDENTIFIER = `accounts/${INSTANCE_ACTOR_NAME}`;
export const userIdentifier = (username: string) => `accounts/${username}`;
export const channelIdentifier = (handle: string) => `video-channels/${handle}`;
export const channelKey = (channelId: string) => `channel:${channelId}`;

/** The local actor behind a fedify identifier, or undefined (suspended accounts have none). */
export async function findLocalActor(db: Database, identifier: string): Promise<LocalActor | undefined> {
  if (identifier === INSTANCE_IDENTIFIER) {
    return { kind: 'instance', identifier, key: 'instance', name: INSTANCE_ACTOR_NAME };
  }
  const [prefix, name, ...rest] = identifier.split('/');
  if (!name || rest.length) return undefined;
  if (prefix === 'accounts') {
    const [user] = await db
      .select()
      .from(users)
      .where(
        sql`lower(${users.username}) = lower(${name}) and ${users.suspendedAt} is null and ${users.remoteActorId} is null`,
      );
    if (!user) return undefined;
    return {
      kind: 'user',
      identifier: userIdentifier(user.username),
      key: `user:${user.id}`,
      name: user.username,
      userId: user.id,
      createdAt: user.createdAt,
    };
  }
  if (prefix === 'video-channels') {
    const [row] = await db
      .select({ channel: channels, ownerUsername: users.username })
      .from(channels)
      .innerJoin(users, eq(users.id, channels.ownerId))
      .where(
        sql`lower(${channels.handle}) = lower(${name}) and ${users.suspendedAt} is null and ${channels.remoteActorId} is null`,
      );
    if (!row) return undefined;
    return {
      kind: 'channel',
      identifier: channelIdentifier(row.channel.handle),
      key: channelKey(row.channel.id),
      name: row.channel.handle,
      channelId: row.channel.id,
      displayName: row.channel.displayName,
      description: row.channel.description,
      ownerUsername: row.ownerUsername,
      createdAt: row.channel.createdAt,
    };
  }
  return undefined;
}

/**
 * The identifier a WebFinger `acct:` name points at: names are one namespace, like PeerTube's,
 * so a name is looked up as an account first, then as a channel.
 */
export async function identifierOfName(db: Database, name: string): Promise<string | undefined> {
  if (name === INSTANCE_ACTOR_NAME) return INSTANCE_IDENTIFIER;
  for (const identifier of [userIdentifier(name), channelIdentifier(name)]) {
    const actor = await findLocalActor(db, identifier);
    if (actor) return actor.identifier;
  }
  return undefined;
}
