import { and, count, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import {
  channels,
  users,
  videoPlaylistElements,
  videoPlaylists,
  videos,
} from '../../../../db/schema/index.js';
import type { PageQuery } from '../../../../protocol/api/list.js';
import {
  PLAYLIST_PRIVACY_IDS,
  PLAYLIST_TYPE_IDS,
  type PlaylistDto,
  type PlaylistPage,
  type VideosExist,
} from '../../../../protocol/api/playlists.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { NotFoundError } from '../../lib/errors.js';
import { offsetPage, pageOffset } from '../../lib/offset-cursor.js';
import type { ServiceContext } from '../context.js';
import { listableConditions } from '../videos/read.js';
import { canSeePlaylist, playlistVideoPrivacies } from './access.js';

export type PlaylistRow = typeof videoPlaylists.$inferSelect;
export type PlaylistWithOwner = { playlist: PlaylistRow; owner: { id: string; username: string } };

const ownerColumns = { id: users.id, username: users.username };

/** The conditions under which a playlist element's video is shown to the caller (videos and channels joined). */
export function visibleElementConditions(viewer: Viewer | undefined): SQL[] {
  return listableConditions(viewer, playlistVideoPrivacies(viewer));
}

/** Serialize playlists, counting in one query how many elements each shows the caller. */
export async function toPlaylistDtos(
  ctx: ServiceContext,
  viewer: Viewer | undefined,
  rows: PlaylistWithOwner[],
): Promise<PlaylistDto[]> {
  const ids = rows.map((r) => r.playlist.id);
  const counts = ids.length
    ? await ctx.db
        .select({ playlistId: videoPlaylistElements.playlistId, n: count() })
        .from(videoPlaylistElements)
        .innerJoin(videos, eq(videos.id, videoPlaylistElements.videoId))
        .innerJoin(channels, eq(channels.id, videos.channelId))
        .where(and(inArray(videoPlaylistElements.playlistId, ids), ...visibleElementConditions(viewer)))
        .groupBy(videoPlaylistElements.playlistId)
    : [];
  return rows.map(({ playlist, owner }) => ({
    id: playlist.id,
    uuid: playlist.id,
    displayName: playlist.displayName,
    description: playlist.description,
    privacy: PLAYLIST_PRIVACY_IDS[playlist.privacy],
    privacyName: playlist.privacy,
    type: PLAYLIST_TYPE_IDS[playlist.type],
    videosLength: counts.find((c) => c.playlistId === playlist.id)?.n ?? 0,
    isLocal: true,
    url: `/p/${playlist.id}`,
    ownerAccount: { id: owner.id, name: owner.username, displayName: owner.username },
    createdAt: playlist.createdAt.toISOString(),
    updatedAt: playlist.updatedAt.toISOString(),
  }));
}

/** A playlist the caller may see (a private one of someone else is a 404, like a random id). */
export async function loadVisiblePlaylist(
  ctx: ServiceContext,
  viewer: Viewer | undefined,
  id: string,
): Promise<PlaylistWithOwner> {
  const [row] = await ctx.db
    .select({ playlist: videoPlaylists, owner: ownerColumns })
    .from(videoPlaylists)
    .innerJoin(users, eq(users.id, videoPlaylists.ownerId))
    .where(eq(videoPlaylists.id, id));
  if (!row || !canSeePlaylist(viewer, row.playlist)) throw new NotFoundError('Playlist');
  return row;
}

export async function getPlaylist(ctx: ServiceContext, viewer: Viewer | undefined, id: string) {
  const [dto] = await toPlaylistDtos(ctx, viewer, [await loadVisiblePlaylist(ctx, viewer, id)]);
  return dto as PlaylistDto;
}

/** A page of playlists matching `where`, newest first. */
async function pageOfPlaylists(
  ctx: ServiceContext,
  viewer: Viewer | undefined,
  where: SQL | undefined,
  query: PageQuery,
): Promise<PlaylistPage> {
  const offset = pageOffset(query);
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select({ playlist: videoPlaylists, owner: ownerColumns })
      .from(videoPlaylists)
      .innerJoin(users, eq(users.id, videoPlaylists.ownerId))
      .where(where)
      .orderBy(desc(videoPlaylists.type), desc(videoPlaylists.seq))
      .limit(query.count)
      .offset(offset),
    ctx.db.select({ n: count() }).from(videoPlaylists).where(where),
  ]);
  return offsetPage(await toPlaylistDtos(ctx, viewer, rows), total?.n ?? 0, offset);
}

/** `GET /api/v1/video-playlists`: public playlists of everyone. */
export function listPublicPlaylists(ctx: ServiceContext, viewer: Viewer | undefined, query: PageQuery) {
  return pageOfPlaylists(ctx, viewer, eq(videoPlaylists.privacy, 'public'), query);
}

/** An account's playlists: its public ones, or all of them for the account itself and admins. */
export async function listAccountPlaylists(
  ctx: ServiceContext,
  viewer: Viewer | undefined,
  name: string,
  query: PageQuery,
) {
  const [owner] = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.username}) = ${name.toLowerCase()}`);
  if (!owner) throw new NotFoundError('Account');
  const all = viewer && (viewer.role === 'admin' || viewer.userId === owner.id);
  const mine = eq(videoPlaylists.ownerId, owner.id);
  return pageOfPlaylists(ctx, viewer, all ? mine : and(mine, eq(videoPlaylists.privacy, 'public')), query);
}

/** Where each of `videoIds` sits in the caller's playlists (PeerTube's `videos-exist`). */
export async function videosExist(
  ctx: ServiceContext,
  viewer: Viewer,
  videoIds: string[],
): Promise<VideosExist> {
  const rows = await ctx.db
    .select({ element: videoPlaylistElements })
    .from(videoPlaylistElements)
    .innerJoin(videoPlaylists, eq(videoPlaylists.id, videoPlaylistElements.playlistId))
    .where(and(eq(videoPlaylists.ownerId, viewer.userId), inArray(videoPlaylistElements.videoId, videoIds)))
    .orderBy(videoPlaylistElements.id);
  const out: VideosExist = Object.fromEntries(videoIds.map((id) => [id, []]));
  for (const { element } of rows) {
    out[element.videoId]?.push({
      playlistElementId: element.id,
      playlistId: element.playlistId,
      startTimestamp: element.startTimestamp,
      stopTimestamp: element.stopTimestamp,
    });
  }
  return out;
}

/** The caller's own playlists, watch later first. */
export function listMyPlaylists(ctx: ServiceContext, viewer: Viewer, query: PageQuery) {
  return pageOfPlaylists(ctx, viewer, eq(videoPlaylists.ownerId, viewer.userId), query);
}
