/** Playlist privacy levels, in PeerTube's order (1 public, 2 unlisted, 3 private). */
export const PLAYLIST_PRIVACY_LEVELS = ['public', 'unlisted', 'private'] as const;
export type PlaylistPrivacy = (typeof PLAYLIST_PRIVACY_LEVELS)[number];

/** PeerTube's playlist types: 1 regular, 2 watch later (one per user, created on first use). */
export const PLAYLIST_TYPES = ['regular', 'watch_later'] as const;
export type PlaylistType = (typeof PLAYLIST_TYPES)[number];
