import type { Audience } from './token.js';

// Each audience opens a closed set of file names; anything else is refused, so no crafted path
// (`..`, encoded slashes, another video's id) can reach outside the video's own files.
const PATTERNS: Record<Audience, RegExp> = {
  hls: /^(?:master\.m3u8|[a-z0-9_-]{1,24}\/(?:index\.m3u8|init\.mp4|seg_\d{1,6}\.m4s))$/,
  thumbnail: /^thumbnail\.jpg$/,
  storyboard: /^storyboard\.(?:jpg|vtt)$/,
};

/**
 * Map the path after `/play/<token>/` to the file's key relative to `videos/<id>/`, or undefined
 * when the audience does not cover it. Pure and exhaustively tested.
 */
export function playbackObjectPath(audience: Audience, requested: string): string | undefined {
  return PATTERNS[audience].test(requested) ? `hls/${requested}` : undefined;
}

/** Playlists change when a video is republished; segments and images never change under a version. */
export function isPlaylist(path: string): boolean {
  return path.endsWith('.m3u8') || path.endsWith('.vtt');
}

export function contentTypeOf(path: string): string {
  if (path.endsWith('.m3u8')) return 'application/vnd.apple.mpegurl';
  if (path.endsWith('.m4s')) return 'video/iso.segment';
  if (path.endsWith('.mp4')) return 'video/mp4';
  if (path.endsWith('.jpg')) return 'image/jpeg';
  if (path.endsWith('.vtt')) return 'text/vtt; charset=utf-8';
  return 'application/octet-stream';
}
