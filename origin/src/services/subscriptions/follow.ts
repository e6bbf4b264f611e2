import { and, count, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { channelFollows, channels } from '../../../../db/schema/index.js';
import type { ChannelDto } from '../../../../protocol/api/channels.js';
import type { Page, PageQuery } from '../../../../protocol/api/list.js';
import { SubscribeInputSchema } from '../../../../protocol/api/subscriptions.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { type ChannelRow, findChannelByHandle, toChannelDtos } from '../channels.js';
import type { ServiceContext } from '../context.js';
import { followRemoteChannel, unfollowRemoteChannel } from '../federation/remote-follow.js';
import { recordEvent } from '../outbox/record.js';
import { seqPage } from '../videos/read.js';
import { pageWindow } from './page.js';
import { parseChannelUri } from './uri.js';

/** Hosts that name this instance: the configured public host, and the host the request came to. */
const localHostsOf = (ctx: ServiceContext, requestHost: string | undefined): string[] =>
  [ctx.config.publicUrl && new URL(ctx.config.publicUrl).host, requestHost].filter((h): h is string =>
    Boolean(h),
  );

/** A uri naming another instance's channel: `name@host` of another host, or a channel's URL. */
function remoteUri(ctx: ServiceContext, uri: string, requestHost?: string): boolean {
  if (/^https?:\/\//i.test(uri.trim())) return true;
  return !parseChannelUri(uri, localHostsOf(ctx, requestHost)).local;
}

/** The local channel a uri names; 404 for an unknown one, 400 for another instance's. */
async function resolveChannel(ctx: ServiceContext, uri: string, requestHost?: string): Promise<ChannelRow> {
  const parsed = parseChannelUri(uri, localHostsOf(ctx, requestHost));
  if (!parsed.local) {
    throw new ValidationError(
      [{ path: 'uri', message: 'Remote channels arrive with federation' }],
      'Remote channels arrive with federation',
    );
  }
  return findChannelByHandle(ctx, parsed.handle);
}

/** Subscribe the caller to a channel; subscribing again changes nothing and records nothing. */
export async function subscribe(
  ctx: ServiceContext,
  viewer: Viewer,
  body: unknown,
  requestHost?: string,
): Promise<void> {
  const { uri } = SubscribeInputSchema.parse(body);
  // Another instance's channel is followed over ActivityPub; the Accept subscribes the caller.
  if (remoteUri(ctx, uri, requestHost)) {
    await followRemoteChannel(ctx, viewer, uri);
    return;
  }
  const channel = await resolveChannel(ctx, uri, requestHost);
  await ctx.db.transaction(async (tx) => {
    const added = await tx
      .insert(channelFollows)
      .values({ followerId: viewer.userId, channelId: channel.id })
      .onConflictDoNothing()
      .returning({ seq: channelFollows.seq });
    if (added.length) {
      await recordEvent(tx, {
        type: 'follow.created',
        payload: { channelId: channel.id, followerId: viewer.userId },
      });
    }
  });
}

/** Unsubscribe; 404 when the caller was not subscribed (or the channel does not exist). */
export async function unsubscribe(
  ctx: ServiceContext,
  viewer: Viewer,
  uri: string,
  requestHost?: string,
): Promise<void> {
  if (remoteUri(ctx, uri, requestHost)) return unfollowRemoteChannel(ctx, viewer, uri);
  const channel = await resolveChannel(ctx, uri, requestHost);
  await ctx.db.transaction(async (tx) => {
    const removed = await tx
      .delete(channelFollows)
      .where(and(eq(channelFollows.followerId, viewer.userId), eq(channelFollows.channelId, channel.id)))
      .returning({ seq: channelFollows.seq });
    if (!removed.length) throw new NotFoundError('Subscription');
    await recordEvent(tx, {
      type: 'follow.removed',
      payload: { channelId: channel.id, followerId: viewer.userId },
    });
  });
}

/** The caller's subscriptions, the newest first, as channel JSON with follower counts. */
export async function listSubscriptions(
  ctx: ServiceContext,
  viewer: Viewer,
  query: Partial<PageQuery>,
): Promise<Page<ChannelDto>> {
  const window = pageWindow(query);
  const mine = eq(channelFollows.followerId, viewer.userId);
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select({ channel: channels, seq: channelFollows.seq })
      .from(channelFollows)
      .innerJoin(channels, eq(channels.id, channelFollows.channelId))
      .where(window.before === undefined ? mine : and(mine, lt(channelFollows.seq, window.before)))
      .orderBy(desc(channelFollows.seq))
      .limit(window.limit)
      .offset(window.offset),
    ctx.db.select({ n: count() }).from(channelFollows).where(mine),
  ]);
  const { page, nextCursor } = seqPage(rows, window.count, (r) => r.seq);
  return {
    total: Number(total?.n ?? 0),
    data: await toChannelDtos(
      ctx,
      page.map((r) => r.channel),
    ),
    nextCursor,
  };
}

/** `{ [uri]: subscribed }` for each uri as sent; unknown and remote channels answer false. */
export async function subscriptionsExist(
  ctx: ServiceContext,
  viewer: Viewer,
  uris: string[],
  requestHost?: string,
): Promise<Record<string, boolean>> {
  const hosts = localHostsOf(ctx, requestHost);
  const handles = new Map<string, string>();
  for (const uri of uris) {
    const parsed = parseChannelUri(uri, hosts);
    if (parsed.local) handles.set(uri, parsed.handle.toLowerCase());
  }
  const wanted = [...new Set(handles.values())];
  const followed = wanted.length
    ? await ctx.db
        .select({ handle: sql<string>`lower(${channels.handle})` })
        .from(channelFollows)
        .innerJoin(channels, eq(channels.id, channelFollows.channelId))
        .where(
          and(eq(channelFollows.followerId, viewer.userId), inArray(sql`lower(${channels.handle})`, wanted)),
        )
    : [];
  const yes = new Set(followed.map((r) => r.handle));
  return Object.fromEntries(uris.map((uri) => [uri, yes.has(handles.get(uri) ?? '\0')]));
}
