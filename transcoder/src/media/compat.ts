import type { ProbeResult } from './types.js';

/** Containers whose H.264/AAC packets an MP4 muxer takes as they are (length-prefixed NALs, raw AAC). */
const COPYABLE_CONTAINERS = ['mov', 'mp4', 'matroska', 'webm'];
/** H.264 profiles every browser's MSE decodes; High 10 and 4:2:2/4:4:4 profiles are not among them. */
const WEB_H264_PROFILES = ['Constrained Baseline', 'Baseline', 'Main', 'High'];
const WEB_AAC_PROFILES = ['LC', 'HE-AAC', 'HE-AACv2'];
/** Browsers decode H.264 up to 4K; beyond that first play would stall on most devices. */
const MAX_SIDE = 4096;

/**
 * Whether the source can be played in browsers as it is, after only repackaging into fMP4 HLS
 * (see remuxToHls): 8-bit 4:2:0 H.264 in a web profile, AAC or no audio, in an MP4/MOV/MKV
 * container. Rotated sources are excluded because MSE players ignore the rotation matrix, and
 * audio must be at most stereo.
 */
export function isWebCompatible(probe: ProbeResult): boolean {
  const { video, audio } = probe;
  if (!video) return false;
  const containers = probe.formatName.split(',');
  if (!containers.some((name) => COPYABLE_CONTAINERS.includes(name))) return false;
  if (video.codec !== 'h264' || video.pixFmt !== 'yuv420p') return false;
  if (!video.profile || !WEB_H264_PROFILES.includes(video.profile)) return false;
  if (video.rotation !== 0 || Math.max(video.width, video.height) > MAX_SIDE) return false;
  if (!audio) return true;
  return audio.codec === 'aac' && audio.channels <= 2 && WEB_AAC_PROFILES.includes(audio.profile ?? 'LC');
}
