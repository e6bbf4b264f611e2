// No zod here: the edge bundles this module (it decides how long to cache a playlist).

/**
 * The few HLS playlist facts that cross tiers: the transcoder writes a growing (EVENT) playlist
 * while a ladder encodes, the origin refuses a playlist naming files not stored yet, and the edge
 * caches a growing playlist briefly. Renderers live with their writers (transcoder/src/media).
 */

/** The tag of a playlist that only grows until `ENDLIST_TAG` (progressive publish). */
export const EVENT_PLAYLIST_TAG = '#EXT-X-PLAYLIST-TYPE:EVENT';
/** The tag of a finished on-demand playlist. */
export const VOD_PLAYLIST_TAG = '#EXT-X-PLAYLIST-TYPE:VOD';
/** The last line of a playlist that will not change any more. */
export const ENDLIST_TAG = '#EXT-X-ENDLIST';

/**
 * Whether a playlist may still grow: an EVENT playlist without its ENDLIST. Players reload it
 * and caches must keep it only for seconds. Master playlists and VOD playlists never grow.
 */
export function isGrowingPlaylist(text: string): boolean {
  return text.includes(EVENT_PLAYLIST_TAG) && !text.includes(ENDLIST_TAG);
}

/**
 * Every URI a playlist names, relative to the playlist's folder, in order and without repeats:
 * variant playlists of a master, the init segment (`EXT-X-MAP`) and the segments of a media
 * playlist. Absolute URLs and paths that climb out (`..`) are returned as they are, so a caller
 * checking that the files exist sees them missing.
 */
export function playlistReferences(text: string): string[] {
  const found = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (!line.startsWith('#')) {
      found.add(line);
      continue;
    }
    const uri = /^#EXT-X-(?:MAP|MEDIA|I-FRAME-STREAM-INF):.*\bURI="([^"]+)"/.exec(line)?.[1];
    if (uri) found.add(uri);
  }
  return [...found];
}
