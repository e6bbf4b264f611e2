import { count, inArray } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { channelFollows } from '../../../../db/schema/index.js';

/** Subscribers of each channel (absent means 0), counted on the channel index in one query. */
export async function followerCounts(db: Executor, channelIds: string[]): Promise<Map<string, number>> {
  if (channelIds.length === 0) return new Map();
  const rows = await db
    .select({ channelId: channelFollows.channelId, n: count() })
    .from(channelFollows)
    .where(inArray(channelFollows.channelId, channelIds))
    .groupBy(channelFollows.channelId);
  return new Map(rows.map((r) => [r.channelId, Number(r.n)]));
}
