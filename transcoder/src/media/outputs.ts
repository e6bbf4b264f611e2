import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HLS_FILES, renditionFile } from '../../../protocol/media.js';
import {
  asVodPlaylist,
  measureBandwidth,
  type PlaylistSegment,
  parseMediaPlaylist,
  playlistDuration,
  withMapUri,
} from './hls-playlist.js';
import { avcCodecFromInit, renderMasterPlaylist } from './master-playlist.js';
import type { ProbeResult, RenditionResult, TranscodeResult } from './types.js';

/** What the caller already knows about a rendition FFmpeg has just written. */
export interface RenditionSpec {
  name: string;
  width?: number;
  height?: number;
  frameRate?: number;
  hasVideo: boolean;
  /** e.g. `mp4a.40.2`, or null when the rendition has no audio. */
  audioCodec: string | null;
}

/** A finished rendition plus what the caller needs to check and list it. */
export interface FinishedRendition {
  rendition: RenditionResult;
  durationSeconds: number;
  /** Every file of the rendition, relative to the output directory. */
  files: string[];
}

/**
 * Reads back one rendition FFmpeg wrote: names its init segment HLS_FILES.init (FFmpeg appends
 * `_<n>` when writing several renditions), measures bandwidth from the real segment sizes and
 * reads the exact H.264 codec string from the init segment.
 */
export async function finishRendition(outDir: string, spec: RenditionSpec): Promise<FinishedRendition> {
  const dir = join(outDir, spec.name);
  const playlistFile = renditionFile(spec.name, HLS_FILES.mediaPlaylist);
  const initFile = renditionFile(spec.name, HLS_FILES.init);
  const playlistPath = join(outDir, playlistFile);
  const written = await readFile(playlistPath, 'utf8');
  // A progressive ladder's playlists were EVENT while it encoded; finished, they are VOD.
  let text = asVodPlaylist(written);
  if (text !== written) await writeFile(playlistPath, text);
  const playlist = parseMediaPlaylist(text);
  if (!playlist.ended || playlist.segments.length === 0 || !playlist.mapUri) {
    throw new Error(`${playlistFile} is incomplete`);
  }
  if (playlist.mapUri !== HLS_FILES.init) {
    await rename(join(dir, playlist.mapUri), join(outDir, initFile));
    text = withMapUri(text, HLS_FILES.init);
    await writeFile(playlistPath, text);
  }
  return {
    rendition: await describeRendition(outDir, spec, playlist.segments),
    durationSeconds: playlistDuration(playlist),
    files: [
      playlistFile,
      initFile,
      ...playlist.segments.map((segment) => renditionFile(spec.name, segment.uri)),
    ],
  };
}

/**
 * What the master says of a rendition, measured on what FFmpeg wrote: bandwidth from the real
 * sizes of `segments` (all of them, or the first ones of a growing rendition) and the exact H.264
 * codec string from the init segment, which must be named HLS_FILES.init already unless `initFile`
 * says where it is (relative to the rendition's folder).
 */
export async function describeRendition(
  outDir: string,
  spec: RenditionSpec,
  segments: readonly PlaylistSegment[],
  initFile: string = HLS_FILES.init,
): Promise<RenditionResult> {
  const dir = join(outDir, spec.name);
  const sizes = await Promise.all(
    segments.map(async (segment) => ({
      durationSeconds: segment.durationSeconds,
      bytes: (await stat(join(dir, segment.uri))).size,
    })),
  );
  const bandwidth = measureBandwidth(sizes);
  const codecs: string[] = [];
  if (spec.hasVideo) {
    const videoCodec = avcCodecFromInit(await readFile(join(dir, initFile)));
    if (!videoCodec) throw new Error(`${renditionFile(spec.name, initFile)} has no H.264 configuration`);
    codecs.push(videoCodec);
  }
  if (spec.audioCodec) codecs.push(spec.audioCodec);
  return {
    name: spec.name,
    ...(spec.width === undefined ? {} : { width: spec.width }),
    ...(spec.height === undefined ? {} : { height: spec.height }),
    bitrate: bandwidth.peak,
    averageBitrate: bandwidth.average,
    codecs: codecs.join(','),
    ...(spec.frameRate === undefined ? {} : { frameRate: spec.frameRate }),
    playlist: renditionFile(spec.name, HLS_FILES.mediaPlaylist),
  };
}

/** Whether FFmpeg wrote a (non-empty) file; image outputs may be missing for very short videos. */
export async function hasFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size > 0;
  } catch {
    return false;
  }
}

/**
 * Writes the master playlist for the finished renditions and returns the result so far; the caller adds
 * the images it produced.
 */
export async function writeMaster(
  outDir: string,
  probe: ProbeResult,
  finished: FinishedRendition[],
): Promise<TranscodeResult> {
  const renditions = finished.map((f) => f.rendition);
  const master = renderMasterPlaylist(
    renditions.map((r) => ({
      bandwidth: r.bitrate,
      averageBandwidth: r.averageBitrate,
      codecs: r.codecs,
      ...(r.width && r.height ? { resolution: { width: r.width, height: r.height } } : {}),
      ...(r.frameRate ? { frameRate: r.frameRate } : {}),
      uri: r.playlist,
    })),
  );
  await writeFile(join(outDir, HLS_FILES.master), master);
  return {
    durationSeconds: finished[0]?.durationSeconds ?? probe.durationSeconds,
    master: HLS_FILES.master,
    renditions,
    files: [HLS_FILES.master, ...finished.flatMap((f) => f.files)],
  };
}
