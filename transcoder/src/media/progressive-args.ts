import { buildLadderArgs } from './ffmpeg-args.js';
import type { TranscodePlan } from './plan.js';

/**
 * The ladder's arguments for progressive publish: the same encode, but FFmpeg's HLS muxer writes
 * each rendition's playlist as an EVENT playlist after every segment (a VOD one is written only at
 * the end), so finished segments can be published while the rest encodes. Kept apart from
 * buildLadderArgs so encoder choices stay in one place.
 */
export function buildProgressiveLadderArgs(plan: TranscodePlan): string[] {
  const args = buildLadderArgs(plan);
  const at = args.indexOf('-hls_playlist_type');
  if (at < 0 || args[at + 1] !== 'vod') throw new Error('the ladder arguments have no VOD playlist type');
  return [...args.slice(0, at + 1), 'event', ...args.slice(at + 2)];
}
