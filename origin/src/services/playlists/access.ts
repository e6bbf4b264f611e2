import type { PlaylistPrivacy } from '../../../../protocol/playlist-enums.js';
import type { Privacy } from '../../../../protocol/video.js';
import type { Viewer } from '../../auth/access-tokens.js';

interface PlaylistOwnership {
  privacy: PlaylistPrivacy;
  ownerId: string;
}

/** Owner or admin: may change the playlist and always see it. */
export function canManagePlaylist(viewer: Viewer | undefined, playlist: PlaylistOwnership): boolean {
  return viewer !== undefined && (viewer.role === 'admin' || viewer.userId === playlist.ownerId);
}

/**
 * The video rules applied to playlists: public and unlisted playlists are seen by anyone with the
 * link; a private one is a 404 to everyone but its owner and admins, like a private video.
 */
export function canSeePlaylist(viewer: Viewer | undefined, playlist: PlaylistOwnership): boolean {
  return playlist.privacy !== 'private' || canManagePlaylist(viewer, playlist);
}

/**
 * Which videos a playlist shows the caller besides their own: those `decideVideoAccess` allows
 * without a password (public and unlisted; internal once signed in; everything for admins). A video
 * that became private, or needs a password, simply drops out of the list for others.
 */
export function playlistVideoPrivacies(viewer: Viewer | undefined): Privacy[] | 'all' {
  if (!viewer) return ['public', 'unlisted'];
  if (viewer.role === 'admin') return 'all';
  return ['public', 'unlisted', 'internal'];
}
