import type { HLS_FILES } from '../../../protocol/media.js';

/** The first usable video stream, as a viewer would see it. */
export interface VideoStreamInfo {
  /** Absolute stream index in the input, used for `-map 0:<index>`; absent means the first video stream. */
  index?: number;
  codec: string;
  profile?: string;
  pixFmt?: string;
  /** Display size: sample aspect ratio applied and rotation (90/270) already swapped in. */
  width: number;
  height: number;
  fps: number;
  variableFrameRate: boolean;
  bitrate: number | null;
  /** Clockwise degrees the player must turn the coded picture: 0, 90, 180 or 270. */
  rotation: number;
}

/** The first audio stream. */
export interface AudioStreamInfo {
  /** Absolute stream index in the input; absent means the first audio stream. */
  index?: number;
  codec: string;
  /** ffprobe's profile name, e.g. `LC` or `HE-AAC`. */
  profile?: string;
  channels: number;
  sampleRate: number;
  bitrate: number | null;
}

/** What ffprobe found in an accepted upload. */
export interface ProbeResult {
  formatName: string;
  durationSeconds: number;
  bitrate: number | null;
  video?: VideoStreamInfo;
  audio?: AudioStreamInfo;
}

/** A frame rate as a fraction, so 29.97 (30000/1001) stays exact in filters and playlists. */
export interface FrameRate {
  num: number;
  den: number;
}

/** One HLS rendition written by a transcode. Paths are relative to the output directory. */
export interface RenditionResult {
  /** `720p`, `audio` or PREVIEW_RENDITION; also the rendition's directory name. */
  name: string;
  width?: number;
  height?: number;
  /** Peak bits per second measured over the media segments (BANDWIDTH). */
  bitrate: number;
  /** Mean bits per second over the whole rendition (AVERAGE-BANDWIDTH). */
  averageBitrate: number;
  /** RFC 6381 codecs, e.g. `avc1.64001f,mp4a.40.2`. */
  codecs: string;
  frameRate?: number;
  playlist: string;
}

/** Everything a transcode produced; `files` lists every file, relative to the output directory. */
export interface TranscodeResult {
  durationSeconds: number;
  master: typeof HLS_FILES.master;
  renditions: RenditionResult[];
  thumbnail?: typeof HLS_FILES.thumbnail;
  storyboard?: { image: typeof HLS_FILES.storyboardImage; vtt: typeof HLS_FILES.storyboardVtt };
  files: string[];
}
