import { randomUUID } from 'node:crypto';
import { Follow, Group, Undo } from '@fedify/vocab';
import { and, eq, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../../../db/client.js';
import { channelFollows, channels, federationFollowing } from '../../../../db/schema/index.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { NotFoundError, ServiceError, ValidationError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { recordEvent } from '../outbox/record.js';
import { userIdentifier } from './actors.js';
import { actorFacts, remoteChannelId } from './remote-actors.js';

/** A remote follow as the API lists it: `pending` until the channel's instance accepts. */
export interface RemoteFollow {
  channelId: string;
  handle: string;
  displayName: string;
  actorId: string;
  state: 'pending' | 'accepted' | 'rejected';
}

const WebFingerSchema = z.object({
  links: z.array(
    z.object({ rel: z.string(), type: z.string().optional(), href: z.string().optional() }).loose(),
  ),
});

function federationOf(ctx: ServiceContext) {
  const settings = ctx.config.federation;
  if (!ctx.federation || !settings) {
    throw new ValidationError(
      [{ path: 'uri', message: 'Federation is off on this instance: remote channels cannot be followed' }],
      'Federation is off on this instance: remote channels cannot be followed',
    );
  }
  return {
    federation: ctx.federation,
    settings,
    fctx: ctx.federation.createContext(new URL(settings.publicUrl)),
  };
}

const unreachable = (uri: string) =>
  new ServiceError('not_found', `No channel found at ${uri}`, {
    fields: [{ path: 'uri', message: 'No channel found there' }],
  });

/**
 * The actor URL behind `name@host`: WebFinger over https, and over http too where private
 * addresses are allowed (tests, closed networks), since fedify's lookup only speaks https.
 */
async function webFinger(handle: string, host: string, allowHttp: boolean): Promise<URL | undefined> {
  for (const scheme of allowHttp ? ['https', 'http'] : ['https']) {
    const url = new URL(`${scheme}://${host}/.well-known/webfinger`);
    url.searchParams.set('resource', `acct:${handle}@${host}`);
    try {
      const res = await fetch(url, {
        headers: { accept: 'application/jrd+json' },
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) continue;
      const parsed = WebFingerSchema.safeParse(await res.json());
      const self = parsed.data?.links.find(
        (l) =>
          l.rel === 'self' &&
          (l.type === 'application/activity+json' || l.type?.startsWith('application/ld+json')),
      );
      if (self?.href) return new URL(self.href);
    } catch {
      // the next scheme, or none
    }
  }
  return undefined;
}

/** A remote channel named by `@name@host`, `name@host` or its URL, fetched and checked. */
async function lookUpChannel(ctx: ServiceContext, uri: string) {
  const { fctx, settings } = federationOf(ctx);
  const trimmed = uri.trim();
  let target: URL | undefined;
  if (/^https?:\/\//i.test(trimmed)) target = URL.canParse(trimmed) ? new URL(trimmed) : undefined;
  else {
    const match = /^@?([^@\s]+)@([^@\s/]+)$/.exec(trimmed);
    if (match) target = await webFinger(match[1] as string, match[2] as string, settings.allowPrivateAddress);
  }
  if (!target) throw unreachable(uri);
  const group = await fctx.lookupObject(target).catch(() => null);
  if (!(group instanceof Group)) throw unreachable(uri);
  const checked = await actorFacts(group, fctx.contextLoader);
  if ('reason' in checked) {
    throw new ValidationError([{ path: 'uri', message: `Not a valid channel: ${checked.reason}` }]);
  }
  const owner = await group.getAttribution(fctx).catch(() => null);
  const ownerFacts = owner ? await actorFacts(owner, fctx.contextLoader) : { reason: 'no account' };
  if ('reason' in ownerFacts)
    throw new ValidationError([{ path: 'uri', message: 'The channel has no valid account' }]);
  return { group, facts: checked.facts, owner: ownerFacts.facts };
}

/**
 * Follow a remote channel for the caller: its mirror is made (or refreshed), the follow is stored
 * `pending`, and a Follow from the caller's Person goes out through fedify's queue (retried until
 * the instance answers). The Accept (`onFollowAnswered`) subscribes the caller to the mirror.
 */
export async function followRemoteChannel(
  ctx: ServiceContext,
  viewer: Viewer,
  uri: string,
): Promise<RemoteFollow> {
  const { fctx } = federationOf(ctx);
  const { group, facts, owner } = await lookUpChannel(ctx, uri);
  const channelId = await remoteChannelId(ctx.db, facts, owner);
  const me = userIdentifier(viewer.username);
  const followId = new URL(`${fctx.getActorUri(me).href}/follows/${randomUUID()}`);
  const [row] = await ctx.db
    .insert(federationFollowing)
    .values({ userId: viewer.userId, channelId, followActivityId: followId.href })
    .onConflictDoUpdate({
      target: [federationFollowing.userId, federationFollowing.channelId],
      // A follow already accepted stays so; a pending or refused one is asked again.
      set: {
        followActivityId: sql`case when ${federationFollowing.state} = 'accepted' then ${federationFollowing.followActivityId} else ${followId.href} end`,
        state: sql`case when ${federationFollowing.state} = 'accepted' then 'accepted' else 'pending' end`,
        updatedAt: new Date(),
      },
    })
    .returning();
  if (!row) throw new Error('follow not stored');
  if (row.state !== 'accepted') {
    await fctx.sendActivity(
      { identifier: me },
      { id: group.id as URL, inboxId: group.inboxId, endpoints: group.endpoints },
      new Follow({ id: followId, actor: fctx.getActorUri(me), object: group.id }),
    );
  }
  return {
    channelId,
    handle: `${facts.preferredUsername}@${new URL(facts.id).host}`,
    displayName: facts.name ?? facts.preferredUsername,
    actorId: facts.id,
    state: row.state as RemoteFollow['state'],
  };
}

/** Take back the caller's follow of a remote channel: Undo(Follow) goes out, the subscription ends. */
export async function unfollowRemoteChannel(
  ctx: ServiceContext,
  viewer: Viewer,
  handle: string,
): Promise<void> {
  const { fctx } = federationOf(ctx);
  const [row] = await ctx.db
    .select({ follow: federationFollowing, channel: channels })
    .from(federationFollowing)
    .innerJoin(channels, eq(channels.id, federationFollowing.channelId))
    .where(
      and(
        eq(federationFollowing.userId, viewer.userId),
        or(
          sql`lower(${channels.handle}) = lower(${handle.trim().replace(/^@/, '')})`,
          eq(channels.remoteActorId, handle.trim()),
        ),
      ),
    );
  if (!row?.channel.remoteActorId) throw new NotFoundError('Subscription');
  const { follow, channel } = row;
  await ctx.db.transaction(async (tx) => {
    await tx
      .delete(federationFollowing)
      .where(
        and(eq(federationFollowing.userId, viewer.userId), eq(federationFollowing.channelId, channel.id)),
      );
    const removed = await tx
      .delete(channelFollows)
      .where(and(eq(channelFollows.followerId, viewer.userId), eq(channelFollows.channelId, channel.id)))
      .returning({ seq: channelFollows.seq });
    if (removed.length)
      await recordEvent(tx, {
        type: 'follow.removed',
        payload: { channelId: channel.id, followerId: viewer.userId },
      });
  });
  const me = userIdentifier(viewer.username);
  const remote = new URL(channel.remoteActorId as string);
  await fctx.sendActivity(
    { identifier: me },
    { id: remote, inboxId: new URL(channel.remoteInbox ?? `${remote.href}/inbox`) },
    new Undo({
      id: new URL(`${follow.followActivityId}/undo`),
      actor: fctx.getActorUri(me),
      object: new Follow({
        id: new URL(follow.followActivityId),
        actor: fctx.getActorUri(me),
        object: remote,
      }),
    }),
  );
}

/** The caller's follows of remote channels, pending ones included, the newest first. */
export async function listRemoteFollows(ctx: ServiceContext, viewer: Viewer): Promise<RemoteFollow[]> {
  const rows = await ctx.db
    .select({ follow: federationFollowing, channel: channels })
    .from(federationFollowing)
    .innerJoin(channels, eq(channels.id, federationFollowing.channelId))
    .where(eq(federationFollowing.userId, viewer.userId))
    .orderBy(sql`${federationFollowing.createdAt} desc`);
  return rows.map(({ follow, channel }) => ({
    channelId: channel.id,
    handle: channel.handle,
    displayName: channel.displayName,
    actorId: channel.remoteActorId ?? '',
    state: follow.state as RemoteFollow['state'],
  }));
}

/**
 * An Accept or Reject of one of our Follows, from the channel it was sent to (anyone else's answer
 * is ignored). Accepted, the follower is subscribed to the channel's mirror, so its videos reach
 * their subscriptions feed.
 */
export async function onFollowAnswered(
  db: Database,
  answer: { followId: string; actorId: string; accepted: boolean },
): Promise<boolean> {
  const [row] = await db
    .select({ follow: federationFollowing, channel: channels })
    .from(federationFollowing)
    .innerJoin(channels, eq(channels.id, federationFollowing.channelId))
    .where(eq(federationFollowing.followActivityId, answer.followId));
  if (!row || row.channel.remoteActorId !== answer.actorId) return false;
  const { follow } = row;
  await db.transaction(async (tx) => {
    await tx
      .update(federationFollowing)
      .set({ state: answer.accepted ? 'accepted' : 'rejected', updatedAt: new Date() })
      .where(eq(federationFollowing.followActivityId, answer.followId));
    if (!answer.accepted) return;
    const added = await tx
      .insert(channelFollows)
      .values({ followerId: follow.userId, channelId: follow.channelId })
      .onConflictDoNothing()
      .returning({ seq: channelFollows.seq });
    if (added.length)
      await recordEvent(tx, {
        type: 'follow.created',
        payload: { channelId: follow.channelId, followerId: follow.userId },
      });
  });
  return true;
}
