import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { videoPlaylists } from '../../../../db/schema/index.js';
import {
  type CreatePlaylistInput,
  CreatePlaylistInputSchema,
  type PlaylistDto,
  type UpdatePlaylistInput,
  UpdatePlaylistInputSchema,
} from '../../../../protocol/api/playlists.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { recordEvent } from '../outbox/record.js';
import { canManagePlaylist, canSeePlaylist } from './access.js';
import { getPlaylist, type PlaylistRow } from './read.js';

const refOf = (p: PlaylistRow) => ({ playlistId: p.id, ownerId: p.ownerId, privacy: p.privacy });

/**
 * The playlist, locked for the rest of the transaction, if the caller may change it: a 404 when they
 * may not even see it (a private playlist of someone else is like a random id), else 403.
 */
export async function lockManagedPlaylist(tx: Executor, viewer: Viewer, id: string): Promise<PlaylistRow> {
  const [playlist] = await tx.select().from(videoPlaylists).where(eq(videoPlaylists.id, id)).for('update');
  if (!playlist || !canSeePlaylist(viewer, playlist)) throw new NotFoundError('Playlist');
  if (!canManagePlaylist(viewer, playlist))
    throw new ForbiddenError('Only the playlist owner or an admin can do this');
  return playlist;
}

/** Create a regular playlist owned by the caller. */
export async function createPlaylist(
  ctx: ServiceContext,
  viewer: Viewer,
  raw: CreatePlaylistInput,
): Promise<PlaylistDto> {
  const input = CreatePlaylistInputSchema.parse(raw);
  const id = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(videoPlaylists)
      .values({ ownerId: viewer.userId, ...input })
      .returning();
    const playlist = row as PlaylistRow;
    await recordEvent(tx, { type: 'playlist.created', payload: refOf(playlist) });
    return playlist.id;
  });
  return getPlaylist(ctx, viewer, id);
}

/**
 * The caller's watch-later playlist (PeerTube's type 2), created on first use. The partial unique
 * index makes two first uses at once end with one playlist.
 */
export async function ensureWatchLater(ctx: ServiceContext, viewer: Viewer): Promise<string> {
  const mine = and(eq(videoPlaylists.ownerId, viewer.userId), eq(videoPlaylists.type, 'watch_later'));
  const [existing] = await ctx.db.select({ id: videoPlaylists.id }).from(videoPlaylists).where(mine);
  if (existing) return existing.id;
  return ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(videoPlaylists)
      .values({ ownerId: viewer.userId, displayName: 'Watch later', privacy: 'private', type: 'watch_later' })
      .onConflictDoNothing()
      .returning();
    if (created) {
      await recordEvent(tx, { type: 'playlist.created', payload: refOf(created) });
      return created.id;
    }
    const [raced] = await tx.select({ id: videoPlaylists.id }).from(videoPlaylists).where(mine);
    return (raced as { id: string }).id;
  });
}

/** Rename, describe or change the privacy of a playlist (owner or admin). */
export async function updatePlaylist(
  ctx: ServiceContext,
  viewer: Viewer,
  id: string,
  raw: UpdatePlaylistInput,
): Promise<PlaylistDto> {
  const input = UpdatePlaylistInputSchema.parse(raw);
  await ctx.db.transaction(async (tx) => {
    const before = await lockManagedPlaylist(tx, viewer, id);
    if (before.type === 'watch_later' && input.privacy && input.privacy !== 'private') {
      throw new ValidationError([{ path: 'privacy', message: 'Watch later stays private' }]);
    }
    const [after] = await tx
      .update(videoPlaylists)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(videoPlaylists.id, id))
      .returning();
    const changed = (['displayName', 'description', 'privacy'] as const).filter(
      (field) => input[field] !== undefined && input[field] !== before[field],
    );
    if (changed.length) {
      await recordEvent(tx, {
        type: 'playlist.updated',
        payload: { ...refOf(after as PlaylistRow), changed },
      });
    }
  });
  return getPlaylist(ctx, viewer, id);
}

/** Delete a playlist and its elements (owner or admin). Watch later cannot be deleted, as in PeerTube. */
export async function deletePlaylist(ctx: ServiceContext, viewer: Viewer, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const playlist = await lockManagedPlaylist(tx, viewer, id);
    if (playlist.type === 'watch_later') {
      throw new ValidationError([{ path: 'id', message: 'The watch later playlist cannot be deleted' }]);
    }
    await tx.delete(videoPlaylists).where(eq(videoPlaylists.id, id));
    await recordEvent(tx, { type: 'playlist.deleted', payload: refOf(playlist) });
  });
}
