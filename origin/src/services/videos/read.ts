import { and, asc, count, desc, eq, inArray, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import { channels, videoRatingCounts, videos } from '../../../../db/schema/index.js';
import type { Page } from '../../../../protocol/api/list.js';
import {
  type ListVideosQuery,
  type ListVideosQueryOutput,
  ListVideosQuerySchema,
  type VideoDto,
} from '../../../../protocol/api/videos.js';
import type { Privacy } from '../../../../protocol/video.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { NotFoundError, ServiceError, UnauthorizedError, ValidationError } from '../../lib/errors.js';
import { offsetPage, pageOffset } from '../../lib/offset-cursor.js';
import { canManageChannel } from '../channels.js';
import type { ServiceContext } from '../context.js';
import { readDb } from '../read-db.js';
import { decideVideoAccess, listablePrivacies } from './access.js';
import { guessVideoPassword } from './password.js';
import { toVideoDto, toVideoDtos, type VideoWithChannel } from './serialize.js';

/** Load a non-deleted video with its channel, or throw 404. */
export async function loadVideo(ctx: ServiceContext, id: string): Promise<VideoWithChannel> {
  const [row] = await ctx.db
    .select({ video: videos, channel: channels })
    .from(videos)
    .innerJoin(channels, eq(channels.id, videos.channelId))
    .where(and(eq(videos.id, id), ne(videos.state, 'deleted')));
  if (!row) throw new NotFoundError('Video');
  return row;
}

/** Who asks to see a video, and the password they gave (if any). */
export interface VideoViewRequest {
  id: string;
  viewer: Viewer | undefined;
  password?: string | undefined;
  ip: string;
}

/**
 * One video, if the caller may see it. Wrong passwords are throttled per client address and
 * video, so a password cannot be guessed by brute force.
 */
export async function getVideo(ctx: ServiceContext, input: VideoViewRequest): Promise<VideoDto> {
  return toVideoDto(ctx, await loadViewableVideo(ctx, input));
}

/** The video row, if the caller may see it (the same rules as `getVideo`); else the refusal. */
export async function loadViewableVideo(
  ctx: ServiceContext,
  input: VideoViewRequest,
): Promise<VideoWithChannel> {
  const row = await loadVideo(ctx, input.id);
  const { video, channel } = row;
  const manages = input.viewer !== undefined && canManageChannel(input.viewer, channel);
  // Owners and admins need no password, so their requests never count as guesses.
  let password: { given: false } | { given: true; matches: boolean } = { given: false };
  if (input.password !== undefined && video.privacy === 'password' && !manages) {
    const matches = await guessVideoPassword(ctx, {
      videoId: video.id,
      passwordHash: video.passwordHash,
      password: input.password,
      ip: input.ip,
    });
    password = { given: true, matches };
  }
  const access = decideVideoAccess(
    { privacy: video.privacy, ownerId: channel.ownerId },
    input.viewer,
    password,
  );
  switch (access) {
    case 'allowed':
      return row;
    case 'not_found':
      throw new NotFoundError('Video');
    case 'auth_required':
      throw new UnauthorizedError('Sign in to watch this video');
    case 'password_required':
      throw new ServiceError('password_required', 'This video is protected by a password');
    case 'wrong_password':
      throw new ServiceError('wrong_password', 'The video password is wrong');
  }
}

/** Opaque list cursor: the `seq` of the last item served. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`v1:${seq}`).toString('base64url');
}

/** A page of the `limit + 1` rows fetched, and the cursor of the next page when there is one. */
export function seqPage<T>(rows: T[], limit: number, seqOf: (row: T) => number) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor(seqOf(last)) : null };
}

export function decodeCursor(cursor: string): number {
  const match = /^v1:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new ValidationError([{ path: 'cursor', message: 'This cursor is not valid' }]);
  return Number(match[1]);
}

/**
 * What a listing (the catalogue, search, playlists) may show the caller: not deleted, and of a listable
 * privacy or the caller's own. Needs `channels` joined on the video's channel. Playlists pass their
 * own `privacies` (unlisted videos show in them).
 */
export function listableConditions(
  viewer: Viewer | undefined,
  privacies: Privacy[] | 'all' = listablePrivacies(viewer),
): SQL[] {
  const conditions: SQL[] = [ne(videos.state, 'deleted')];
  if (privacies !== 'all') {
    const visible = inArray(videos.privacy, privacies);
    conditions.push(viewer ? (or(visible, eq(channels.ownerId, viewer.userId)) as SQL) : visible);
  }
  return conditions;
}

/** PeerTube's `isLive` filter: on air (true) or not (false), as the JSON's `isLive` says. */
export const liveCondition = (isLive: boolean): SQL =>
  isLive ? eq(videos.state, 'live') : ne(videos.state, 'live');

/** The ORDER BY of each PeerTube sort; `seq` breaks ties so pages are stable. */
function sortOrder(sort: ListVideosQueryOutput['sort']): SQL[] {
  const likes = sql`coalesce((select ${videoRatingCounts.likes} from ${videoRatingCounts} where ${videoRatingCounts.videoId} = ${videos.id}), 0)`;
  switch (sort) {
    case 'publishedAt':
    case 'createdAt':
      return [asc(videos.seq)];
    case '-views':
    case '-trending':
    case '-hot':
    case 'best':
      return [desc(videos.views), desc(videos.seq)];
    case '-likes':
      return [desc(likes), desc(videos.seq)];
    case 'name':
      return [asc(videos.title), desc(videos.seq)];
    case '-name':
      return [desc(videos.title), desc(videos.seq)];
    default:
      return [desc(videos.seq)];
  }
}

/**
 * The catalogue, PeerTube's `GET /api/v1/videos`: `{ total, data, nextCursor }`, `start`/`count`
 * (or our `limit`), PeerTube's sorts. Newest first by default, keyset-paginated on the insertion
 * sequence when the caller pages with `cursor`, so pages neither repeat nor skip items while new
 * videos are added; other sorts page by offset.
 */
export async function listVideos(
  ctx: ServiceContext,
  viewer: Viewer | undefined,
  rawQuery: ListVideosQuery,
  scope: { ownerId?: string } = {},
): Promise<Page<VideoDto>> {
  const query = ListVideosQuerySchema.parse(rawQuery);
  const limit = query.limit ?? query.count;
  const conditions: SQL[] = listableConditions(viewer);
  if (query.channelId) conditions.push(eq(videos.channelId, query.channelId));
  // An account's videos (PeerTube's `/accounts/{name}/videos`): those of every channel it owns.
  if (scope.ownerId) conditions.push(eq(channels.ownerId, scope.ownerId));
  // Every video is local until federation brings remote ones in.
  if (query.isLocal === false) conditions.push(sql`false`);
  if (query.isLive !== undefined) conditions.push(liveCondition(query.isLive));
  const keyset = query.sort === '-publishedAt' || query.sort === '-createdAt';
  const where = and(...conditions);
  const pageWhere = keyset && query.cursor ? and(where, lt(videos.seq, decodeCursor(query.cursor))) : where;
  const offset = keyset ? (query.cursor ? 0 : query.start) : pageOffset(query);

  // A signed-in caller listing one channel may be its owner looking for the upload they just made.
  const db = viewer && query.channelId ? ctx.db : readDb(ctx);
  const [rows, [totalRow]] = await Promise.all([
    db
      .select({ video: videos, channel: channels })
      .from(videos)
      .innerJoin(channels, eq(channels.id, videos.channelId))
      .where(pageWhere)
      .orderBy(...sortOrder(query.sort))
      .limit(limit + 1)
      .offset(offset),
    db
      .select({ n: count() })
      .from(videos)
      .innerJoin(channels, eq(channels.id, videos.channelId))
      .where(where),
  ]);
  const total = totalRow?.n ?? 0;
  if (keyset) {
    const { page, nextCursor } = seqPage(rows, limit, (row) => row.video.seq);
    return { total, data: await toVideoDtos(ctx, page), nextCursor };
  }
  return offsetPage(await toVideoDtos(ctx, rows.slice(0, limit)), total, offset);
}
