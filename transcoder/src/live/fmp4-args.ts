/**
 * The output half of a live FFmpeg command: fragmented MP4 on stdout, one fragment per LL-HLS part.
 * - `empty_moov`: the init segment (ftyp + moov) comes first, with no samples, so it can be served
 *   before any media;
 * - `default_base_moof`: data offsets relative to each moof, so a fragment stands alone as a part;
 * - `frag_keyframe`: a fragment also starts at every keyframe, so a copied source whose keyframes do
 *   not fall on the 200 ms grid still gets segments starting on them;
 * - `-frag_duration`: the part duration, in microseconds.
 * `target` is the pipe it goes to: stdout, or `pipe:3`, `pipe:4`... for the rungs of a ladder.
 */
export function fragmentedMp4Output(partSeconds = 0.2, target = 'pipe:1'): string[] {
  if (!(partSeconds > 0 && partSeconds <= 1))
    throw new RangeError(`part duration ${partSeconds} s is not in (0, 1]`);
  // biome-ignore format: an option and its value per line
  return [
    '-f', 'mp4',
    '-movflags', 'empty_moov+default_base_moof+frag_keyframe',
    '-frag_duration', String(Math.round(partSeconds * 1_000_000)),
    target,
  ];
}
