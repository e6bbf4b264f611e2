// No zod here: the edge bundles this module, and it must stay small and runtime-neutral.

/**
 * The one place where Vidra's storage layout and HLS file names are spelled. The transcoder writes
 * these names, the origin stores them (keys relative to the video), and the edge serves them. See
 * docs/storage.md for why the layout has this shape.
 *
 * Storage namespace:
 * - `sources/<videoId>/original`      the upload as received;
 * - `videos/<videoId>/<relative key>` everything published for the video, where a relative key is
 *   one of the names below, under `hls/`.
 */

/** Top-level storage prefixes, one per kind of object. */
export const STORAGE_PREFIXES = {
  sources: 'sources/',
  videos: 'videos/',
} as const;

/** The uploaded source of a video, as received. */
export const sourceKey = (videoId: string): string => `${STORAGE_PREFIXES.sources}${videoId}/original`;
/** Folder of a video's source; `deletePrefix` of it removes the source. */
export const sourcePrefix = (videoId: string): string => `${STORAGE_PREFIXES.sources}${videoId}/`;
/** Folder of everything published for a video; `deletePrefix` of it unpublishes the video. */
export const videoPrefix = (videoId: string): string => `${STORAGE_PREFIXES.videos}${videoId}/`;
/** Absolute storage key of a key stored relative to its video (what the database holds). */
export const videoObjectKey = (videoId: string, relativeKey: string): string =>
  `${videoPrefix(videoId)}${relativeKey}`;

/** HLS output folder, relative to the video. Every published file lives under it. */
export const HLS_DIR = 'hls/';

/** File names inside the HLS folder, as FFmpeg writes them and as players request them. */
export const HLS_FILES = {
  master: 'master.m3u8',
  mediaPlaylist: 'index.m3u8',
  init: 'init.mp4',
  thumbnail: 'thumbnail.jpg',
  storyboardImage: 'storyboard.jpg',
  storyboardVtt: 'storyboard.vtt',
} as const;

/** Rendition folder of the fast-first-play stream copy, superseded by the ladder. */
export const PREVIEW_RENDITION = 'source';

/**
 * Rendition folder of a live stream's copy of what the encoder sent: the recording a replay is
 * built from. It shares the name of the preview rendition, so the live files are removed once the
 * replay's source is stored, before the VOD pipeline publishes into the same folder.
 */
export const LIVE_SOURCE_RENDITION = 'source';

/** Media segments: `seg_00001.m4s`, numbered from 1, five digits (FFmpeg's `%05d`). */
export const SEGMENT_PATTERN = 'seg_%05d.m4s';
/** LL-HLS partial segments: `part_00001_0.m4s` (segment number, then part index within it). */
export const PART_PATTERN = 'part_%05d_%d.m4s';

/** Name of media segment `n` (1-based). */
export const segmentName = (n: number): string => `seg_${String(n).padStart(5, '0')}.m4s`;
/** Name of part `part` (0-based) of media segment `n`. */
export const partName = (n: number, part: number): string => `part_${String(n).padStart(5, '0')}_${part}.m4s`;

/**
 * Init segment of a live rendition: `init.mp4`, then `init_1.mp4`, ... when a reconnecting encoder
 * changes its codec configuration (names are immutable, so a new init needs a new name).
 */
export const initName = (generation: number): string =>
  generation === 0 ? HLS_FILES.init : `init_${generation}.mp4`;

/** The number of a media segment's file name (`segmentName`), or undefined for any other name. */
export const segmentNumber = (file: string): number | undefined => {
  const match = /^seg_(\d{1,6})\.m4s$/.exec(file);
  return match ? Number(match[1]) : undefined;
};

/** The generation of a live init segment's file name (`initName`), or undefined for any other name. */
export const initGeneration = (file: string): number | undefined => {
  if (file === HLS_FILES.init) return 0;
  const match = /^init_(\d{1,4})\.mp4$/.exec(file);
  return match ? Number(match[1]) : undefined;
};

/** Path of a rendition's file, relative to the HLS folder: `<rendition>/<file>`. */
export const renditionFile = (rendition: string, file: string): string => `${rendition}/${file}`;
/** Relative key (what the database stores) of a file inside the HLS folder. */
export const hlsKey = (pathInHls: string): string => `${HLS_DIR}${pathInHls}`;

/** What each kind of playback token lets a player open. */
export const PLAYBACK_AUDIENCES = ['hls', 'thumbnail', 'storyboard'] as const;
export type PlaybackAudience = (typeof PLAYBACK_AUDIENCES)[number];

const esc = (name: string) => name.replace(/[.]/g, '\\.');
const RENDITION = '[a-z0-9_-]{1,24}';
const SEGMENT = 'seg_\\d{1,6}\\.m4s';
const PART = 'part_\\d{1,6}_\\d{1,3}\\.m4s';
const LIVE_INIT = 'init_\\d{1,4}\\.mp4';

// Each audience opens a closed set of file names; anything else is refused, so no crafted path
// (`..`, encoded slashes, another video's id) can reach outside the video's own files.
const AUDIENCE_FILES: Record<PlaybackAudience, RegExp> = {
  hls: new RegExp(
    `^(?:${esc(HLS_FILES.master)}|${RENDITION}/(?:${esc(HLS_FILES.mediaPlaylist)}|${esc(HLS_FILES.init)}|${LIVE_INIT}|${SEGMENT}|${PART}))$`,
  ),
  thumbnail: new RegExp(`^${esc(HLS_FILES.thumbnail)}$`),
  storyboard: new RegExp(`^(?:${esc(HLS_FILES.storyboardImage)}|${esc(HLS_FILES.storyboardVtt)})$`),
};

const NUMBERED_MEDIA = /^(?:seg_(\d{1,6})|part_(\d{1,6})_\d{1,3})\.m4s$/;
const NUMBERED_INIT = /^init_(\d{1,4})\.mp4$/;

/** The msn a live segment or part name is of (`seg_00042.m4s`, `part_00042_3.m4s`); else undefined. */
export function liveMsnOf(name: string | undefined): number | undefined {
  const match = name === undefined ? null : NUMBERED_MEDIA.exec(name);
  return match ? Number(match[1] ?? match[2]) : undefined;
}

/** The generation of a live init segment name (`initName`'s inverse); undefined for anything else. */
export function liveInitGenerationOf(name: string | undefined): number | undefined {
  if (name === HLS_FILES.init) return 0;
  const match = name === undefined ? null : NUMBERED_INIT.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** What a file inside a rendition folder is, for the live hub (`hlsFileKind`). */
export type HlsFileKind = 'playlist' | 'init' | 'segment' | 'part';

const RENDITION_FILE_KINDS: ReadonlyArray<[HlsFileKind, RegExp]> = [
  ['playlist', new RegExp(`^${esc(HLS_FILES.mediaPlaylist)}$`)],
  ['init', new RegExp(`^(?:${esc(HLS_FILES.init)}|${LIVE_INIT})$`)],
  ['segment', new RegExp(`^${SEGMENT}$`)],
  ['part', new RegExp(`^${PART}$`)],
];
const RENDITION_NAME = new RegExp(`^${RENDITION}$`);

/**
 * The kind of `<rendition>/<file>` inside the HLS folder, or undefined for any other path (the
 * names `playbackObjectKey` lets an `hls` token open, minus the multivariant playlist).
 */
export function hlsFileKind(rendition: string, file: string): HlsFileKind | undefined {
  if (!RENDITION_NAME.test(rendition)) return undefined;
  return RENDITION_FILE_KINDS.find(([, pattern]) => pattern.test(file))?.[0];
}

/**
 * The relative key (under the video's prefix) of the file a player asks for after `/play/<token>/`,
 * or undefined when the token's audience does not cover it. Pure and exhaustively tested.
 */
export function playbackObjectKey(audience: PlaybackAudience, requested: string): string | undefined {
  return AUDIENCE_FILES[audience].test(requested) ? hlsKey(requested) : undefined;
}

/**
 * The inverse: the path after `/play/<token>/` that serves the stored relative key `key` to
 * `audience`, or undefined when that audience could not open it (so the edge never hands out a
 * URL it would refuse).
 */
export function playbackPath(audience: PlaybackAudience, key: string): string | undefined {
  if (!key.startsWith(HLS_DIR)) return undefined;
  const path = key.slice(HLS_DIR.length);
  return AUDIENCE_FILES[audience].test(path) ? path : undefined;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PUBLISHED_KEY = new RegExp(
  `^${STORAGE_PREFIXES.videos}${UUID}/[\\w-]+(?:\\.[\\w-]+)*(?:/[\\w-]+(?:\\.[\\w-]+)*)*$`,
);

/**
 * Whether `key` names a published file of some video (never a source): what the origin's internal
 * media endpoint may hand to the edge. No `.`/`..` segments, no empty ones.
 */
export function isPublishedKey(key: string): boolean {
  return PUBLISHED_KEY.test(key);
}

const CONTENT_TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  m4a: 'audio/mp4',
  ts: 'video/mp2t',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  // WebVTT is UTF-8 by definition, so no charset parameter; S3 and the edge send this exact value.
  vtt: 'text/vtt',
  json: 'application/json',
};

/** Content type implied by a key's or file's extension; `application/octet-stream` otherwise. */
export function contentTypeOf(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

/** HLS playlists only (master or media), not the storyboard's WebVTT. */
export function isHlsPlaylist(path: string): boolean {
  return path.endsWith('.m3u8');
}

/** Playlists (and the storyboard's WebVTT) change when a video is republished; segments never do. */
export function isPlaylist(path: string): boolean {
  return path.endsWith('.m3u8') || path.endsWith('.vtt');
}

/**
 * PeerTube-style HLS names (docs/adr/0022-peertube-read-api.md), served by the edge next to the
 * token like every playback file: `<uuid>-master.m3u8`, `<uuid>-<height>.m3u8` and
 * `<uuid>-<height>-fragmented.mp4`. NewPipe derives each variant's playlist from `fileUrl` by
 * replacing `-fragmented.mp4` with `.m3u8`, once it sees a `playlistUrl` ending in `-master.m3u8`;
 * these names survive that replacement, and the token stays in the path.
 */
export const PEERTUBE_HLS_SUFFIXES = {
  master: '-master.m3u8',
  variant: '.m3u8',
  fragmented: '-fragmented.mp4',
} as const;

/** `<uuid>-master.m3u8`: the multivariant playlist under its PeerTube-style name. */
export const peertubeMasterName = (videoId: string): string => `${videoId}${PEERTUBE_HLS_SUFFIXES.master}`;
/** `<uuid>-<height>.m3u8`: one variant's media playlist. */
export const peertubeVariantName = (videoId: string, height: number): string =>
  `${videoId}-${height}${PEERTUBE_HLS_SUFFIXES.variant}`;
/** `<uuid>-<height>-fragmented.mp4`: one variant as a single fMP4 file (init + every segment). */
export const peertubeFragmentedName = (videoId: string, height: number): string =>
  `${videoId}-${height}${PEERTUBE_HLS_SUFFIXES.fragmented}`;

/** What a PeerTube-style name asks for, or undefined when `file` is none of them for `videoId`. */
export type PeertubeHlsFile =
  | { kind: 'master' }
  | { kind: 'variant'; height: number }
  | { kind: 'fragmented'; height: number };

const PEERTUBE_NAME = new RegExp(`^(${UUID})-(?:(master)\\.m3u8|(\\d{1,5})(-fragmented\\.mp4|\\.m3u8))$`);

/** Parse a PeerTube-style name of `videoId`'s files (another video's uuid is no match). */
export function peertubeHlsFile(videoId: string, file: string): PeertubeHlsFile | undefined {
  const match = PEERTUBE_NAME.exec(file);
  if (!match || match[1] !== videoId) return undefined;
  if (match[2]) return { kind: 'master' };
  const height = Number(match[3]);
  if (height < 1) return undefined;
  return match[4] === PEERTUBE_HLS_SUFFIXES.fragmented
    ? { kind: 'fragmented', height }
    : { kind: 'variant', height };
}
