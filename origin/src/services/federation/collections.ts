import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../../../db/client.js';
import {
  COLLECTION_PAGE_SIZE,
  orderedCollection,
  orderedCollectionPage,
} from '../../../../protocol/activitypub/collections.js';
import { AP_PATHS, absolute } from '../../../../protocol/activitypub/paths.js';
import { rowsOf } from '../notifications/deliver.js';
import { findLocalActor, type LocalActor } from './actors.js';
import { videoActivity, videoObjectOf } from './video-activities.js';

export const ACTOR_COLLECTIONS = ['outbox', 'followers', 'following'] as const;
export type ActorCollection = (typeof ACTOR_COLLECTIONS)[number];

/** One query per collection: what it lists (`item`, newest first by `at`), as SQL. */
type Listing = SQL | undefined;

/**
 * Followers: remote actors still reachable (not marked gone), and for a channel also the local
 * accounts subscribed to it, as PeerTube lists both.
 */
function followersOf(actor: LocalActor, publicUrl: string): Listing {
  const remote = sql`select follower_id as item, created_at as at from federation_followers
    where local_actor = ${actor.key} and gone_at is null`;
  if (actor.kind !== 'channel') return remote;
  const accountBase = absolute(publicUrl, AP_PATHS.account(''));
  return sql`${remote} union all
    select ${accountBase} || u.username as item, f.created_at as at from channel_follows f
    join users u on u.id = f.follower_id
    where f.channel_id = ${actor.channelId} and u.suspended_at is null`;
}

/**
 * Following: an account follows the local channels it subscribes to. Channels and the instance
 * follow nobody.
 * TODO(fedremote): remote channels an account follows join this list once following remote
 * channels has its table.
 */
function followingOf(actor: LocalActor, publicUrl: string): Listing {
  if (actor.kind !== 'user') return undefined;
  const channelBase = absolute(publicUrl, AP_PATHS.channel(''));
  return sql`select ${channelBase} || c.handle as item, f.created_at as at from channel_follows f
    join channels c on c.id = f.channel_id join users o on o.id = c.owner_id
    where f.follower_id = ${actor.userId} and o.suspended_at is null`;
}

/** Outbox: the Create of every public, ready video of the channel (of all its channels, for an account). */
function outboxOf(actor: LocalActor): Listing {
  const owned =
    actor.kind === 'channel'
      ? sql`v.channel_id = ${actor.channelId}`
      : actor.kind === 'user'
        ? sql`v.channel_id in (select id from channels where owner_id = ${actor.userId})`
        : undefined;
  if (!owned) return undefined;
  return sql`select v.id::text as item, v.created_at as at from videos v
    where ${owned} and v.privacy = 'public' and v.state = 'ready' and v.deleted_at is null`;
}

/**
 * An actor's outbox, followers or following: the collection (size and first page) without `page`,
 * or that page of it. Undefined when there is no such local actor.
 */
export async function actorCollection(
  db: Database,
  publicUrl: string,
  identifier: string,
  name: ActorCollection,
  page?: number,
) {
  const actor = await findLocalActor(db, identifier);
  if (!actor) return undefined;
  const id = `${absolute(publicUrl, `/${actor.identifier}`)}/${name}`;
  const listing =
    name === 'followers'
      ? followersOf(actor, publicUrl)
      : name === 'following'
        ? followingOf(actor, publicUrl)
        : outboxOf(actor);
  const [counted] = listing
    ? rowsOf<{ n: number | string }>(await db.execute(sql`select count(*) as n from (${listing}) l`))
    : [];
  const total = Number(counted?.n ?? 0);
  if (page === undefined) return orderedCollection(id, total);
  const rows = listing
    ? rowsOf<{ item: string }>(
        await db.execute(sql`select item from (${listing}) l order by at desc, item
          limit ${COLLECTION_PAGE_SIZE} offset ${(page - 1) * COLLECTION_PAGE_SIZE}`),
      )
    : [];
  if (name !== 'outbox')
    return orderedCollectionPage(
      id,
      page,
      total,
      rows.map((r) => r.item),
    );
  const activities = [];
  for (const { item } of rows) {
    const loaded = await videoObjectOf(db, publicUrl, item);
    if (loaded?.object) activities.push(videoActivity('Create', loaded, 'outbox'));
  }
  return orderedCollectionPage(id, page, total, activities);
}
