/**
 * Turns FFmpeg's `-progress pipe:1` stream (key=value lines, arriving in arbitrary chunks) into
 * percentages of `durationSeconds`. Calls `onProgress` only when the value grows by at least
 * `step`, never goes backwards, and stops at `ceiling`: the caller reports 100 itself once the
 * outputs are checked, so a bar never sits at 100% while playlists are still being written.
 */
export function createProgressParser(
  durationSeconds: number,
  onProgress: (percent: number) => void,
  { step = 0.5, ceiling = 99 }: { step?: number; ceiling?: number } = {},
): (chunk: string) => void {
  let buffer = '';
  let last = 0;
  return (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^out_time_us=(\d+)\s*$/.exec(line);
      if (!match || !(durationSeconds > 0)) continue;
      const seconds = Number(match[1]) / 1_000_000;
      const percent = Math.min(ceiling, Math.round((seconds / durationSeconds) * 1000) / 10);
      if (percent - last >= step || (percent === ceiling && last < ceiling)) {
        last = percent;
        onProgress(percent);
      }
    }
  };
}
