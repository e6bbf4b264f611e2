// No zod here: the edge bundles this module (docs/adr/0007-zod-mini-twins.md).
import { peertubeFragmentedName, peertubeMasterName } from './media.js';
import type { PRIVACY_LEVELS } from './video-enums.js';

/**
 * PeerTube's wire values Vidra answers with (docs/adr/0022-peertube-read-api.md): enumerations as
 * PeerTube numbers them, and the pure builders of the PeerTube-shaped parts of the video JSON.
 */

type Privacy = (typeof PRIVACY_LEVELS)[number];

/** PeerTube's `privacy: { id, label }`; a password video is PeerTube's 2 (unlisted), see ADR 15. */
export const PEERTUBE_PRIVACY: Record<Privacy, { id: 1 | 2 | 3 | 4; label: string }> = {
  public: { id: 1, label: 'Public' },
  unlisted: { id: 2, label: 'Unlisted' },
  private: { id: 3, label: 'Private' },
  internal: { id: 4, label: 'Internal' },
  password: { id: 2, label: 'Password protected' },
};

/** PeerTube's `{ id: null, label: 'Unknown' }` for category, licence and language, which Vidra does not record. */
export const PEERTUBE_UNKNOWN = { id: null, label: 'Unknown' } as const;

/** The version Vidra reports as `serverVersion`: the PeerTube API generation it answers. */
export const PEERTUBE_API_VERSION = '6.0.0';

/**
 * PeerTube's image paths of a video (`thumbnailPath`, `previewPath`), which clients such as Grayjay
 * prefix with the instance's origin. The edge answers both with the video's poster.
 */
export const PEERTUBE_IMAGE_DIRS = {
  thumbnail: '/lazy-static/thumbnails/',
  preview: '/lazy-static/previews/',
} as const;
export const peertubeImagePath = (kind: keyof typeof PEERTUBE_IMAGE_DIRS, videoId: string) =>
  `${PEERTUBE_IMAGE_DIRS[kind]}${videoId}.jpg`;

/** One rendition as the video JSON lists it. */
export interface RenditionLike {
  width: number;
  height: number;
  bitrate: number;
}

/** One `streamingPlaylists[].files[]` entry (PeerTube's `VideoFile`, the fields clients read). */
export interface PeertubeVideoFile {
  id: number;
  resolution: { id: number; label: string };
  width: number;
  height: number;
  size: number;
  fps: number;
  fileUrl: string;
  fileDownloadUrl: string;
  torrentUrl: string;
  torrentDownloadUrl: string;
  magnetUri: string;
  metadataUrl: string;
}

/** One `streamingPlaylists[]` entry: type 1 is HLS. */
export interface PeertubeStreamingPlaylist {
  id: number;
  type: 1;
  playlistUrl: string;
  segmentsSha256Url: string | null;
  redundancies: { baseUrl: string }[];
  files: PeertubeVideoFile[];
}

/** One file per height (the highest bitrate wins), tallest first, as PeerTube lists them. */
export function heightsOf(renditions: readonly RenditionLike[]): RenditionLike[] {
  const byHeight = new Map<number, RenditionLike>();
  for (const r of renditions) {
    const known = byHeight.get(r.height);
    if (!known || r.bitrate > known.bitrate) byHeight.set(r.height, r);
  }
  return [...byHeight.values()].sort((a, b) => b.height - a.height);
}

/**
 * The HLS `streamingPlaylists` of a video whose files are served under `base` (the edge's
 * `<PUBLIC_URL>/play/<token>`), with PeerTube-style names that survive NewPipe's derivation.
 * Vidra has no torrents, so those URLs are empty strings (clients skip empty ones).
 */
export function peertubeStreamingPlaylists(
  base: string,
  videoId: string,
  renditions: readonly RenditionLike[],
): PeertubeStreamingPlaylist[] {
  if (renditions.length === 0) return [];
  const files = heightsOf(renditions).map((r, i) => {
    const fileUrl = `${base}/${peertubeFragmentedName(videoId, r.height)}`;
    return {
      id: i + 1,
      resolution: { id: r.height, label: `${r.height}p` },
      width: r.width,
      height: r.height,
      size: 0,
      fps: 0,
      fileUrl,
      fileDownloadUrl: fileUrl,
      torrentUrl: '',
      torrentDownloadUrl: '',
      magnetUri: '',
      metadataUrl: '',
    };
  });
  return [
    {
      id: 1,
      type: 1,
      playlistUrl: `${base}/${peertubeMasterName(videoId)}`,
      segmentsSha256Url: null,
      redundancies: [],
      files,
    },
  ];
}

/**
 * Every URL NewPipe derives from a video's JSON (PeertubeStreamExtractor): the master, each file
 * as a progressive stream, and each variant's playlist, by replacing `-fragmented.mp4` with
 * `.m3u8` when the master ends in `-master.m3u8`, else `master` with the resolution id.
 */
export function newPipeStreamUrls(video: {
  streamingPlaylists: ReadonlyArray<{
    playlistUrl: string;
    files: ReadonlyArray<{ fileUrl: string; resolution: { id: number } }>;
  }>;
}): { master: string; progressive: string[]; hls: string[] }[] {
  return video.streamingPlaylists.map((playlist) => {
    const randomNames = playlist.playlistUrl.endsWith('-master.m3u8');
    return {
      master: playlist.playlistUrl,
      progressive: playlist.files.map((f) => f.fileUrl),
      hls: playlist.files.map((f) =>
        randomNames
          ? f.fileUrl.replace('-fragmented.mp4', '.m3u8')
          : playlist.playlistUrl.replace('master', String(f.resolution.id)),
      ),
    };
  });
}

/** The URI of the multivariant playlist's variant of `height` (the first such), or undefined. */
export function variantUriForHeight(master: string, height: number): string | undefined {
  const lines = master.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!line.startsWith('#EXT-X-STREAM-INF:')) continue;
    const resolution = /RESOLUTION=(\d+)x(\d+)/.exec(line);
    const uri = lines.slice(i + 1).find((l) => l.trim() !== '' && !l.startsWith('#'));
    if (resolution && Number(resolution[2]) === height && uri) return uri.trim();
  }
  return undefined;
}

const URI_ATTRIBUTE = /URI="([^"]+)"/g;
const isRelative = (uri: string) => !/^[a-z][a-z0-9+.-]*:/i.test(uri) && !uri.startsWith('/');

/**
 * A media playlist served from another folder than its own: every relative URI (segments, the
 * `EXT-X-MAP` init, parts) gets `prefix` (`<rendition>/`), so a player resolving them against
 * `<uuid>-<height>.m3u8` lands on the rendition's files.
 */
export function rebaseMediaPlaylist(playlist: string, prefix: string): string {
  return playlist
    .split('\n')
    .map((line) => {
      if (line.startsWith('#')) {
        return line.replace(URI_ATTRIBUTE, (whole, uri: string) =>
          isRelative(uri) ? `URI="${prefix}${uri}"` : whole,
        );
      }
      const trimmed = line.trim();
      return trimmed !== '' && isRelative(trimmed) ? `${prefix}${trimmed}` : line;
    })
    .join('\n');
}

/**
 * The files that make a VOD media playlist one fMP4 file, in order: its `EXT-X-MAP` init, then
 * every segment. Undefined when the playlist has no init (not fMP4) or is still open (no
 * `EXT-X-ENDLIST`: a live stream has no end to join up to).
 */
export function fragmentedParts(playlist: string): string[] | undefined {
  if (!playlist.includes('#EXT-X-ENDLIST')) return undefined;
  const lines = playlist.split(/\r?\n/);
  const map = lines.find((l) => l.startsWith('#EXT-X-MAP:'));
  const init = map ? /URI="([^"]+)"/.exec(map)?.[1] : undefined;
  if (!init) return undefined;
  const segments = lines.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  return [init, ...segments];
}
