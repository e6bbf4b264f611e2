import { and, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import { channels, videos } from '../../../../db/schema/index.js';
import type { Page } from '../../../../protocol/api/list.js';
import type { PeerTubeChannelDto } from '../../../../protocol/api/peertube.js';
import { type SearchQuery, SearchQuerySchema } from '../../../../protocol/api/search.js';
import type { VideoDto } from '../../../../protocol/api/videos.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { offsetPage, pageOffset } from '../../lib/offset-cursor.js';
import type { ServiceContext } from '../context.js';
import { toPeerTubeChannels } from '../peertube/accounts.js';
import { readDb } from '../read-db.js';
import { listableConditions, liveCondition } from '../videos/read.js';
import { toVideoDtos } from '../videos/serialize.js';
import { prefixTsquery } from './terms.js';

/** The words, the tag filter and where the page starts, from PeerTube's or our paging. */
function parseSearch(raw: SearchQuery) {
  const query = SearchQuerySchema.parse(raw);
  const terms = prefixTsquery(query.search ?? query.q ?? '');
  const offset = pageOffset(query);
  const tags = query.tagsOneOf === undefined ? [] : [query.tagsOneOf].flat().map((t) => t.toLowerCase());
  return { terms, tags, offset, count: query.count, isLive: query.isLive };
}

/** `videos.search_vector` (migration 0008), kept out of `db/schema` so no other select carries it. */
const searchVector = sql`videos.search_vector`;

const tsquery = (terms: string) => sql`to_tsquery('simple', public.vidra_fold(${terms}))`;

/**
 * Videos matching every word as a prefix (title over description over tags, by `ts_rank`), among
 * those the caller may list: the same rules as `/api/v1/videos`, so another user's private video is
 * never found. Without words, the newest listable videos (with the tag filter, if any).
 */
export async function searchVideos(
  ctx: ServiceContext,
  viewer: Viewer | undefined,
  raw: SearchQuery,
): Promise<Page<VideoDto>> {
  const { terms, tags, offset, count: limit, isLive } = parseSearch(raw);
  const conditions: SQL[] = listableConditions(viewer);
  if (terms) conditions.push(sql`${searchVector} @@ ${tsquery(terms)}`);
  if (isLive !== undefined) conditions.push(liveCondition(isLive));
  if (tags.length) {
    const list = sql.join(
      tags.map((tag) => sql`${tag}`),
      sql`, `,
    );
    conditions.push(sql`exists (select 1 from unnest(${videos.tags}) as tag where lower(tag) in (${list}))`);
  }
  const where = and(...conditions);
  const order = [desc(videos.seq)];
  if (terms) order.unshift(desc(sql`ts_rank(${searchVector}, ${tsquery(terms)})`));
  const [rows, [totalRow]] = await Promise.all([
    readDb(ctx)
      .select({ video: videos, channel: channels })
      .from(videos)
      .innerJoin(channels, eq(channels.id, videos.channelId))
      .where(where)
      .orderBy(...order)
      .limit(limit)
      .offset(offset),
    readDb(ctx)
      .select({ n: count() })
      .from(videos)
      .innerJoin(channels, eq(channels.id, videos.channelId))
      .where(where),
  ]);
  return offsetPage(await toVideoDtos(ctx, rows), totalRow?.n ?? 0, offset);
}

/** The folded words of a channel, as indexed by `channels_search_idx` (migration 0008). */
const channelVector = sql`(setweight(to_tsvector('simple'::regconfig, public.vidra_fold(${channels.displayName} || ' ' || ${channels.handle})), 'A')
  || setweight(to_tsvector('simple'::regconfig, public.vidra_fold(${channels.description})), 'B'))`;

/** Channels whose name, handle or description match every word as a prefix, best first. */
export async function searchChannels(
  ctx: ServiceContext,
  raw: SearchQuery,
): Promise<Page<PeerTubeChannelDto>> {
  const { terms, offset, count: limit } = parseSearch(raw);
  const where = terms ? sql`${channelVector} @@ ${tsquery(terms)}` : undefined;
  const order = [desc(channels.createdAt)];
  if (terms) order.unshift(desc(sql`ts_rank(${channelVector}, ${tsquery(terms)})`));
  const [rows, [totalRow]] = await Promise.all([
    readDb(ctx)
      .select()
      .from(channels)
      .where(where)
      .orderBy(...order)
      .limit(limit)
      .offset(offset),
    readDb(ctx).select({ n: count() }).from(channels).where(where),
  ]);
  return offsetPage(await toPeerTubeChannels(ctx, rows), totalRow?.n ?? 0, offset);
}
