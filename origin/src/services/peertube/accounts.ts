import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { channels, users } from '../../../../db/schema/index.js';
import type { PeerTubeAccountDto, PeerTubeChannelDto } from '../../../../protocol/api/peertube.js';
import { NotFoundError } from '../../lib/errors.js';
import { type ChannelRow, findChannelByHandle } from '../channels.js';
import type { ServiceContext } from '../context.js';
import { followerCounts } from '../subscriptions/counts.js';
import { instanceBase } from '../videos/serialize.js';

type UserRow = Pick<typeof users.$inferSelect, 'id' | 'username' | 'createdAt'>;

/**
 * A PeerTube name `name` or `name@host` of this instance, without the host; another host is
 * unknown here until federation fetches remote accounts (a 404, as PeerTube answers for them).
 */
export function localName(ctx: ServiceContext, name: string): string {
  const at = name.indexOf('@', 1);
  const bare = name.startsWith('@') ? name.slice(1) : name;
  if (at < 0) return bare;
  const [local, host] = [name.slice(name.startsWith('@') ? 1 : 0, at), name.slice(at + 1)];
  if (host.toLowerCase() !== instanceBase(ctx).host.toLowerCase()) throw new NotFoundError('Account');
  return local;
}

function accountSummary(ctx: ServiceContext, user: Pick<UserRow, 'id' | 'username'>) {
  const { base, host } = instanceBase(ctx);
  return {
    id: user.id,
    name: user.username,
    displayName: user.username,
    url: `${base}/accounts/${user.username}`,
    host,
    avatars: [],
  };
}

/** `GET /api/v1/accounts/{name}`: a local, non-suspended account in PeerTube's shape. */
export async function getAccount(ctx: ServiceContext, name: string): Promise<PeerTubeAccountDto> {
  const user = await findAccount(ctx, name);
  const owned = await ctx.db.select({ id: channels.id }).from(channels).where(eq(channels.ownerId, user.id));
  const counts = await followerCounts(
    ctx.db,
    owned.map((c) => c.id),
  );
  return {
    ...accountSummary(ctx, user),
    userId: user.id,
    description: '',
    // Vidra follows channels, not accounts: an account's followers are its channels' subscribers.
    followersCount: [...counts.values()].reduce((a, b) => a + b, 0),
    followingCount: 0,
    hostRedundancyAllowed: false,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.createdAt.toISOString(),
  };
}

/** Channels of an account, oldest first, in PeerTube's shape. */
export async function accountChannels(
  ctx: ServiceContext,
  name: string,
  page: { start: number; count: number },
) {
  const user = await findAccount(ctx, name);
  const where = eq(channels.ownerId, user.id);
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select()
      .from(channels)
      .where(where)
      .orderBy(asc(channels.createdAt))
      .limit(page.count)
      .offset(page.start),
    ctx.db.select({ n: count() }).from(channels).where(where),
  ]);
  return { total: total?.n ?? 0, data: await toPeerTubeChannels(ctx, rows), nextCursor: null };
}

/** A local channel by PeerTube handle (`handle` or `handle@host`) in PeerTube's shape, or 404. */
export async function getPeerTubeChannel(ctx: ServiceContext, handle: string): Promise<PeerTubeChannelDto> {
  const row = await findChannelByHandle(ctx, localName(ctx, handle));
  const [channel] = await toPeerTubeChannels(ctx, [row]);
  return channel as PeerTubeChannelDto;
}

/** The account row of a PeerTube name, or 404 (suspended accounts look like none). */
export async function findAccount(ctx: ServiceContext, name: string): Promise<UserRow> {
  const [user] = await ctx.db
    .select({ id: users.id, username: users.username, createdAt: users.createdAt })
    .from(users)
    .where(and(sql`lower(${users.username}) = lower(${localName(ctx, name)})`, isNull(users.suspendedAt)));
  if (!user) throw new NotFoundError('Account');
  return user;
}

/** Channels in PeerTube's shape (a superset of Vidra's), owners and follower counts in one query each. */
export async function toPeerTubeChannels(
  ctx: ServiceContext,
  rows: ChannelRow[],
): Promise<PeerTubeChannelDto[]> {
  const ownerIds = [...new Set(rows.map((r) => r.ownerId))];
  const [counts, owners] = await Promise.all([
    followerCounts(
      ctx.db,
      rows.map((r) => r.id),
    ),
    ownerIds.length
      ? ctx.db
          .select({ id: users.id, username: users.username })
          .from(users)
          .where(inArray(users.id, ownerIds))
      : [],
  ]);
  const byId = new Map(owners.map((o) => [o.id, o]));
  const { base, host } = instanceBase(ctx);
  return rows.map((row) => ({
    id: row.id,
    handle: row.handle,
    name: row.handle,
    displayName: row.displayName,
    description: row.description,
    ownerId: row.ownerId,
    followersCount: counts.get(row.id) ?? 0,
    followingCount: 0,
    url: `${base}/video-channels/${row.handle}`,
    host,
    avatars: [],
    banners: [],
    support: null,
    isLocal: true,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ownerAccount: accountSummary(ctx, byId.get(row.ownerId) ?? { id: row.ownerId, username: 'unknown' }),
  }));
}
