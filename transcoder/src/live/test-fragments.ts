/** Synthetic fragments for the packager's unit tests (not a test file itself). */
import type { FragmentUnit, InitUnit } from './fmp4.js';
import { LlHlsPackager, type PackagerOptions, type PartOutput, type SegmentOutput } from './packager.js';

/** 2026-12-01T12:00:00.200Z: the first fragment's first frame is then exactly on the minute. */
export const CLOCK = Date.UTC(2026, 11, 1, 12, 0, 0, 200);

export const INIT: InitUnit = { kind: 'init', bytes: Uint8Array.of(1, 2, 3), trackId: 1, timescale: 1000 };

/** A fragment of `durationMs` starting at `startMs` of media time (30 fps); its one byte is `marker`. */
export function fragment(startMs: number, durationMs: number, keyframe: boolean, marker = 0): FragmentUnit {
  return {
    kind: 'fragment',
    bytes: Uint8Array.of(marker),
    decodeTime: startMs,
    duration: durationMs,
    decodeTimeSeconds: startMs / 1000,
    durationSeconds: durationMs / 1000,
    keyframe,
    samples: Math.round((durationMs * 30) / 1000),
  };
}

/** A packager with its init pushed, recording what it emits. */
export function recordingPackager(options: PackagerOptions = {}) {
  const parts: PartOutput[] = [];
  const segments: SegmentOutput[] = [];
  const inits: string[] = [];
  const packager = new LlHlsPackager({
    now: () => CLOCK,
    onPart: (part) => parts.push(part),
    onSegment: (segment) => segments.push(segment),
    onInit: (init) => inits.push(init.name),
    ...options,
  });
  packager.pushInit(INIT);
  let media = 0;
  /** Pushes `count` parts of 200 ms with a keyframe every `gop` parts (counted from media time 0). */
  const feed = (count: number, gop = 5) => {
    for (let i = 0; i < count; i++) {
      const index = Math.round(media / 200);
      packager.pushFragment(fragment(media, 200, index % gop === 0, index % 256));
      media += 200;
    }
  };
  /** The encoder reconnected: a new FFmpeg starts its media time at 0 again. */
  const restart = () => {
    media = 0;
  };
  return { packager, parts, segments, inits, feed, restart };
}
