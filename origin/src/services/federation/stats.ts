import { count, isNull } from 'drizzle-orm';
import { users, videoComments, videos } from '../../../../db/schema/index.js';
import type { NodeInfoCounts } from '../../../../protocol/activitypub/nodeinfo.js';
import type { ServiceContext } from '../context.js';

/** Usage counts NodeInfo publishes. */
export async function nodeInfoCounts(ctx: ServiceContext): Promise<NodeInfoCounts> {
  const [u] = await ctx.db.select({ n: count() }).from(users).where(isNull(users.suspendedAt));
  const [v] = await ctx.db.select({ n: count() }).from(videos).where(isNull(videos.deletedAt));
  const [c] = await ctx.db.select({ n: count() }).from(videoComments);
  return { users: u?.n ?? 0, localVideos: v?.n ?? 0, localComments: c?.n ?? 0 };
}
