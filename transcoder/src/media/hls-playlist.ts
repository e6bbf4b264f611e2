import { EVENT_PLAYLIST_TAG, VOD_PLAYLIST_TAG } from '../../../protocol/hls.js';

/** One media segment as listed in a playlist. */
export interface PlaylistSegment {
  uri: string;
  durationSeconds: number;
}

/** The parts of an fMP4 media playlist we rely on. */
export interface MediaPlaylist {
  targetDuration: number;
  /** `EXT-X-MAP` URI (the init segment), null for playlists without one. */
  mapUri: string | null;
  segments: PlaylistSegment[];
  ended: boolean;
}

/**
 * Parses a VOD media playlist as FFmpeg writes it. Throws on anything that is not one, because
 * a master built from a half-written playlist would advertise wrong bandwidths.
 */
export function parseMediaPlaylist(text: string): MediaPlaylist {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  if (lines[0] !== '#EXTM3U') throw new Error('not an HLS playlist: missing #EXTM3U');
  let targetDuration = Number.NaN;
  let mapUri: string | null = null;
  let ended = false;
  let pending: number | null = null;
  const segments: PlaylistSegment[] = [];
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    if (line.startsWith('#EXT-X-TARGETDURATION:')) targetDuration = Number(line.slice(22));
    else if (line.startsWith('#EXT-X-MAP:')) mapUri = /URI="([^"]*)"/.exec(line)?.[1] ?? null;
    else if (line === '#EXT-X-ENDLIST') ended = true;
    else if (line.startsWith('#EXTINF:')) pending = Number.parseFloat(line.slice(8));
    else if (!line.startsWith('#')) {
      if (pending === null || !Number.isFinite(pending)) throw new Error(`segment without #EXTINF: ${line}`);
      segments.push({ uri: line, durationSeconds: pending });
      pending = null;
    }
  }
  if (!Number.isFinite(targetDuration)) throw new Error('playlist has no #EXT-X-TARGETDURATION');
  return { targetDuration, mapUri, segments, ended };
}

/** Total playable seconds in a playlist. */
export function playlistDuration(playlist: MediaPlaylist): number {
  return playlist.segments.reduce((sum, segment) => sum + segment.durationSeconds, 0);
}

/** Rewrites the `EXT-X-MAP` URI (FFmpeg names init segments `init_<n>.mp4` when it writes several). */
export function withMapUri(text: string, uri: string): string {
  return text.replace(/^#EXT-X-MAP:URI="[^"]*"/m, `#EXT-X-MAP:URI="${uri}"`);
}

/** Bits per second of a rendition: peak (BANDWIDTH) and mean (AVERAGE-BANDWIDTH). */
export interface Bandwidth {
  peak: number;
  average: number;
}

/**
 * Measures bandwidth from real segment sizes. The peak is the highest per-segment rate, but a
 * final stub shorter than a second is left out of it: its rate is mostly one keyframe and would
 * make players think the whole rendition needs several times its real bandwidth.
 */
export function measureBandwidth(
  segments: ReadonlyArray<{ durationSeconds: number; bytes: number }>,
): Bandwidth {
  const valid = segments.filter((s) => s.durationSeconds > 0);
  if (valid.length === 0) throw new Error('no segments to measure');
  const totalBytes = valid.reduce((sum, s) => sum + s.bytes, 0);
  const totalSeconds = valid.reduce((sum, s) => sum + s.durationSeconds, 0);
  const average = Math.ceil((totalBytes * 8) / totalSeconds);
  const last = valid.at(-1);
  const considered = valid.length > 1 && last && last.durationSeconds < 1 ? valid.slice(0, -1) : valid;
  const peak = Math.max(...considered.map((s) => Math.ceil((s.bytes * 8) / s.durationSeconds)));
  return { peak: Math.max(peak, average), average };
}

/**
 * Renders the growing (EVENT) playlist of a rendition FFmpeg is still encoding, for progressive
 * publish: the segments finished so far, under our own init name, without `EXT-X-ENDLIST`. The
 * ladder's final VOD playlist lists the same segments, so players just keep going.
 */
export function renderEventPlaylist(playlist: {
  targetDuration: number;
  mapUri: string;
  segments: readonly PlaylistSegment[];
}): string {
  const unsafe = [playlist.mapUri, ...playlist.segments.map((s) => s.uri)].find(
    (uri) => !/^[\w.-]+$/.test(uri),
  );
  if (unsafe !== undefined) throw new Error(`unsafe playlist URI: ${unsafe}`);
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${Math.ceil(playlist.targetDuration)}`,
    '#EXT-X-MEDIA-SEQUENCE:1',
    EVENT_PLAYLIST_TAG,
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-MAP:URI="${playlist.mapUri}"`,
  ];
  for (const segment of playlist.segments)
    lines.push(`#EXTINF:${segment.durationSeconds.toFixed(6)},`, segment.uri);
  return `${lines.join('\n')}\n`;
}

/** A finished playlist FFmpeg wrote as EVENT (progressive ladder) relabelled VOD; others unchanged. */
export function asVodPlaylist(text: string): string {
  return text.replace(/^#EXT-X-PLAYLIST-TYPE:EVENT$/m, VOD_PLAYLIST_TAG);
}
