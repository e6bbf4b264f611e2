import type { VideoRung } from '../../transcoder/src/media/ladder.js';

/**
 * The floor: the ladder as one would type it by hand for this 1080p30 stereo source, with the
 * very same sizes, bitrates and encoder settings as Vidra's plan but none of its extras (no
 * whitelists, fps normalisation, poster, storyboard, progress or post-processing).
 */
export const HAND_RUNGS = [
  { name: '1080p', width: 1920, height: 1080, video: 4_500_000, audio: 128_000 },
  { name: '720p', width: 1280, height: 720, video: 2_449_000, audio: 128_000 },
  { name: '480p', width: 854, height: 480, video: 1_334_000, audio: 128_000 },
  { name: '360p', width: 640, height: 360, video: 866_000, audio: 96_000 },
  { name: '240p', width: 426, height: 240, video: 471_000, audio: 96_000 },
] as const;

/** Arguments of the hand-written ladder command. */
export function handLadderArgs(input: string, outDir: string, preset: string): string[] {
  const scales = HAND_RUNGS.map((r, i) => `[s${i}]scale=${r.width}:${r.height}[v${i}]`);
  const split = `[0:v]split=${HAND_RUNGS.length}${HAND_RUNGS.map((_, i) => `[s${i}]`).join('')}`;
  // biome-ignore format: an option and its value per line
  return [
    '-hide_banner', '-nostdin', '-y', '-loglevel', 'error',
    '-i', input,
    '-filter_complex', [split, ...scales].join(';'),
    ...HAND_RUNGS.flatMap((_, i) => ['-map', `[v${i}]`, '-map', '0:a']),
    '-c:v', 'libx264', '-preset', preset, '-profile:v', 'high',
    '-g', '120', '-keyint_min', '120', '-sc_threshold', '0', '-force_key_frames', 'expr:gte(t,n_forced*4)',
    ...HAND_RUNGS.flatMap((r, i) => [`-b:v:${i}`, `${r.video}`, `-maxrate:v:${i}`, `${r.video * 1.5}`, `-bufsize:v:${i}`, `${r.video * 2}`]),
    '-c:a', 'aac', '-ac', '2', '-ar', '48000',
    ...HAND_RUNGS.flatMap((r, i) => [`-b:a:${i}`, `${r.audio}`]),
    '-f', 'hls', '-hls_time', '4', '-hls_playlist_type', 'vod', '-hls_segment_type', 'fmp4',
    '-hls_segment_filename', `${outDir}/%v/seg_%05d.m4s`,
    '-var_stream_map', HAND_RUNGS.map((r, i) => `v:${i},a:${i},name:${r.name}`).join(' '),
    `${outDir}/%v/index.m3u8`,
  ];
}

/** Whether Vidra's plan still matches the hand-written ladder (else the comparison is unfair). */
export function matchesHandLadder(rungs: readonly VideoRung[]): boolean {
  return (
    rungs.length === HAND_RUNGS.length &&
    rungs.every((rung, i) => {
      const hand = HAND_RUNGS[i];
      return (
        hand !== undefined &&
        rung.width === hand.width &&
        rung.height === hand.height &&
        rung.videoBitrate === hand.video &&
        rung.maxBitrate === hand.video * 1.5 &&
        rung.bufferSize === hand.video * 2 &&
        rung.audioBitrate === hand.audio
      );
    })
  );
}
