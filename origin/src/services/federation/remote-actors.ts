import { type Object as ApObject, Group, Person } from '@fedify/vocab';
import type { DocumentLoader } from '@fedify/vocab-runtime';
import { eq } from 'drizzle-orm';
import type { Database, Executor } from '../../../../db/client.js';
import { channels, users } from '../../../../db/schema/index.js';
import { PeerTubeActorSchema } from '../../../../protocol/activitypub/peertube-rules.js';

/** What a stand-in row is made from: a remote actor's id, name and where it receives. */
export interface RemoteActorFacts {
  id: string;
  preferredUsername: string;
  name?: string | undefined;
  summary?: string | undefined;
  inbox: string;
  sharedInbox?: string | undefined;
}

/** `name@host`: the local spelling of a remote actor, which no local name can take (no `@`). */
export const remoteName = (facts: { id: string; preferredUsername: string }) =>
  `${facts.preferredUsername}@${new URL(facts.id).host}`;

/**
 * A fetched actor, checked with PeerTube's rules for a remote actor (`PeerTubeActorSchema`) on its
 * JSON-LD, as fedify re-serialises it. Undefined, with the reason, when they refuse it.
 */
export async function actorFacts(
  actor: ApObject,
  contextLoader?: DocumentLoader,
): Promise<{ facts: RemoteActorFacts } | { reason: string }> {
  if (!(actor instanceof Person || actor instanceof Group)) return { reason: 'not a Person or Group' };
  const json = await actor.toJsonLd({ format: 'compact', ...(contextLoader ? { contextLoader } : {}) });
  const checked = PeerTubeActorSchema.safeParse(json);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return { reason: `${issue?.path.join('.') || 'actor'}: ${issue?.message ?? 'invalid'}` };
  }
  const a = checked.data;
  return {
    facts: {
      id: a.id,
      preferredUsername: a.preferredUsername,
      name: actor.name?.toString(),
      summary: actor.summary?.toString(),
      inbox: a.inbox,
      sharedInbox: a.endpoints?.sharedInbox,
    },
  };
}

/**
 * The local stand-in of a remote account, made once per actor id: it authors remote comments and
 * likes and owns remote channels' mirrors. Its email is `remote:<id>`, which is no address (nobody
 * signs in as it) and its password hash is no hash at all.
 */
export async function remoteUserId(db: Executor, facts: RemoteActorFacts): Promise<string> {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.remoteActorId, facts.id));
  if (existing) return existing.id;
  const [row] = await db
    .insert(users)
    .values({
      email: `remote:${facts.id}`,
      username: remoteName(facts),
      passwordHash: '!remote',
      remoteActorId: facts.id,
    })
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (row) return row.id;
  const [raced] = await db.select({ id: users.id }).from(users).where(eq(users.remoteActorId, facts.id));
  if (!raced) throw new Error(`no stand-in for ${facts.id}: its name ${remoteName(facts)} is taken`);
  return raced.id;
}

/** The local mirror of a remote channel (Group), owned by its account's stand-in; kept up to date. */
export async function remoteChannelId(db: Database, group: RemoteActorFacts, owner: RemoteActorFacts) {
  const ownerId = await remoteUserId(db, owner);
  const values = {
    handle: remoteName(group),
    displayName: (group.name ?? group.preferredUsername).slice(0, 120),
    description: (group.summary ?? '').slice(0, 1000),
    remoteInbox: group.sharedInbox ?? group.inbox,
  };
  const [row] = await db
    .insert(channels)
    .values({ ownerId, remoteActorId: group.id, ...values })
    .onConflictDoUpdate({ target: channels.remoteActorId, set: { ...values, updatedAt: new Date() } })
    .returning({ id: channels.id });
  if (!row) throw new Error(`no mirror for ${group.id}`);
  return row.id;
}
