import { and, asc, count, eq, gt, max, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { channels, videoPlaylistElements, videos } from '../../../../db/schema/index.js';
import type { PageQuery } from '../../../../protocol/api/list.js';
import {
  type AddPlaylistElementInput,
  AddPlaylistElementInputSchema,
  type PlaylistElementPage,
  type ReorderPlaylistInput,
  ReorderPlaylistInputSchema,
  type UpdatePlaylistElementInput,
  UpdatePlaylistElementInputSchema,
} from '../../../../protocol/api/playlists.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { offsetPage, pageOffset } from '../../lib/offset-cursor.js';
import type { ServiceContext } from '../context.js';
import { recordEvent } from '../outbox/record.js';
import { decideVideoAccess } from '../videos/access.js';
import { toVideoDtos } from '../videos/serialize.js';
import { loadVisiblePlaylist, type PlaylistRow, visibleElementConditions } from './read.js';
import { reorder } from './reorder.js';
import { lockManagedPlaylist } from './write.js';

type ElementRow = typeof videoPlaylistElements.$inferSelect;
const refOf = (p: PlaylistRow, e: ElementRow) => ({
  playlistId: p.id,
  ownerId: p.ownerId,
  privacy: p.privacy,
  elementId: e.id,
  videoId: e.videoId,
});
const touch = (tx: Executor, p: PlaylistRow) =>
  tx.execute(sql`update video_playlists set updated_at = now() where id = ${p.id}`);

/** The elements the caller may see, in position order; videos they may not see are left out. */
export async function listElements(
  ctx: ServiceContext,
  viewer: Viewer | undefined,
  playlistId: string,
  query: PageQuery,
): Promise<PlaylistElementPage> {
  await loadVisiblePlaylist(ctx, viewer, playlistId);
  const offset = pageOffset(query);
  const where = and(eq(videoPlaylistElements.playlistId, playlistId), ...visibleElementConditions(viewer));
  const joined = () =>
    ctx.db
      .select({ element: videoPlaylistElements, video: videos, channel: channels })
      .from(videoPlaylistElements)
      .innerJoin(videos, eq(videos.id, videoPlaylistElements.videoId))
      .innerJoin(channels, eq(channels.id, videos.channelId));
  const [rows, [total]] = await Promise.all([
    joined().where(where).orderBy(asc(videoPlaylistElements.position)).limit(query.count).offset(offset),
    ctx.db
      .select({ n: count() })
      .from(videoPlaylistElements)
      .innerJoin(videos, eq(videos.id, videoPlaylistElements.videoId))
      .innerJoin(channels, eq(channels.id, videos.channelId))
      .where(where),
  ]);
  const dtos = await toVideoDtos(ctx, rows);
  const data = rows.map(({ element }, i) => ({
    id: element.id,
    position: element.position,
    startTimestamp: element.startTimestamp,
    stopTimestamp: element.stopTimestamp,
    video: dtos[i] as (typeof dtos)[number],
  }));
  return offsetPage(data, total?.n ?? 0, offset);
}

/** Append a video the caller may watch; a video they may not see is refused like a random id. */
export async function addElement(
  ctx: ServiceContext,
  viewer: Viewer,
  playlistId: string,
  raw: AddPlaylistElementInput,
): Promise<{ id: number }> {
  const input = AddPlaylistElementInputSchema.parse(raw);
  const [video] = await ctx.db
    .select({ privacy: videos.privacy, ownerId: channels.ownerId, state: videos.state })
    .from(videos)
    .innerJoin(channels, eq(channels.id, videos.channelId))
    .where(eq(videos.id, input.videoId));
  if (
    !video ||
    video.state === 'deleted' ||
    decideVideoAccess(video, viewer, { given: false }) === 'not_found'
  ) {
    throw new ValidationError([{ path: 'videoId', message: 'No video has this id' }]);
  }
  return ctx.db.transaction(async (tx) => {
    const playlist = await lockManagedPlaylist(tx, viewer, playlistId);
    const [last] = await tx
      .select({ position: max(videoPlaylistElements.position) })
      .from(videoPlaylistElements)
      .where(eq(videoPlaylistElements.playlistId, playlistId));
    const [element] = await tx
      .insert(videoPlaylistElements)
      .values({
        playlistId,
        videoId: input.videoId,
        position: (last?.position ?? 0) + 1,
        startTimestamp: input.startTimestamp ?? null,
        stopTimestamp: input.stopTimestamp ?? null,
      })
      .returning();
    await touch(tx, playlist);
    await recordEvent(tx, { type: 'playlist.video_added', payload: refOf(playlist, element as ElementRow) });
    return { id: (element as ElementRow).id };
  });
}

async function lockElement(tx: Executor, playlistId: string, elementId: number): Promise<ElementRow> {
  const [element] = await tx
    .select()
    .from(videoPlaylistElements)
    .where(and(eq(videoPlaylistElements.id, elementId), eq(videoPlaylistElements.playlistId, playlistId)));
  if (!element) throw new NotFoundError('Playlist element');
  return element;
}

/** Change where playback of an element starts or stops. */
export async function updateElement(
  ctx: ServiceContext,
  viewer: Viewer,
  playlistId: string,
  elementId: number,
  raw: UpdatePlaylistElementInput,
): Promise<void> {
  const input = UpdatePlaylistElementInputSchema.parse(raw);
  await ctx.db.transaction(async (tx) => {
    const playlist = await lockManagedPlaylist(tx, viewer, playlistId);
    await lockElement(tx, playlistId, elementId);
    await tx.update(videoPlaylistElements).set(input).where(eq(videoPlaylistElements.id, elementId));
    await touch(tx, playlist);
    await recordEvent(tx, {
      type: 'playlist.updated',
      payload: { playlistId, ownerId: playlist.ownerId, privacy: playlist.privacy, changed: ['timestamps'] },
    });
  });
}

/** Remove an element; the ones after it move up, so positions stay 1..n. */
export async function removeElement(
  ctx: ServiceContext,
  viewer: Viewer,
  playlistId: string,
  elementId: number,
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const playlist = await lockManagedPlaylist(tx, viewer, playlistId);
    const element = await lockElement(tx, playlistId, elementId);
    await tx.delete(videoPlaylistElements).where(eq(videoPlaylistElements.id, elementId));
    await tx
      .update(videoPlaylistElements)
      .set({ position: sql`${videoPlaylistElements.position} - 1` })
      .where(
        and(
          eq(videoPlaylistElements.playlistId, playlistId),
          gt(videoPlaylistElements.position, element.position),
        ),
      );
    await touch(tx, playlist);
    await recordEvent(tx, { type: 'playlist.video_removed', payload: refOf(playlist, element) });
  });
}

/** PeerTube's reorder, over every element (hidden ones keep their place in the count). */
export async function reorderElements(
  ctx: ServiceContext,
  viewer: Viewer,
  playlistId: string,
  raw: ReorderPlaylistInput,
): Promise<void> {
  const input = ReorderPlaylistInputSchema.parse(raw);
  await ctx.db.transaction(async (tx) => {
    const playlist = await lockManagedPlaylist(tx, viewer, playlistId);
    const elements = await tx
      .select({ id: videoPlaylistElements.id, position: videoPlaylistElements.position })
      .from(videoPlaylistElements)
      .where(eq(videoPlaylistElements.playlistId, playlistId))
      .orderBy(asc(videoPlaylistElements.position));
    const moved = reorder(elements, input);
    if ('error' in moved) throw new ValidationError([{ path: 'startPosition', message: moved.error }]);
    const changes = moved.order.flatMap((e, i) =>
      e.position === i + 1 ? [] : [sql`(${e.id}::int, ${i + 1}::int)`],
    );
    if (!changes.length) return;
    await tx.execute(sql`update video_playlist_elements set position = v.position
      from (values ${sql.join(changes, sql`, `)}) as v(id, position) where video_playlist_elements.id = v.id`);
    await touch(tx, playlist);
    await recordEvent(tx, {
      type: 'playlist.updated',
      payload: { playlistId, ownerId: playlist.ownerId, privacy: playlist.privacy, changed: ['order'] },
    });
  });
}
