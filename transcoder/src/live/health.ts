import type { LiveStreamHealth } from '../../../protocol/live.js';
import type { FragmentUnit } from './fmp4.js';

type Sample = Pick<FragmentUnit, 'bytes' | 'decodeTimeSeconds' | 'durationSeconds' | 'keyframe' | 'samples'>;

/** A gap in decode time longer than this many frames counts as frames the source dropped. */
const GAP_TOLERANCE_FRAMES = 1.5;

/**
 * Stream health of the source rung, from the fragments FFmpeg writes (pure: no clock, no I/O).
 * Bitrate and frame rate are averaged over the last `windowSeconds` of media; the keyframe
 * interval is the decode time between the last two keyframe fragments (parts start on
 * keyframes when there is one); dropped frames are gaps in the decode timeline, counted in
 * frames at the current rate. A new FFmpeg run (`restart`) starts its timeline afresh, so the
 * seam is not counted as a drop.
 */
export class StreamHealthMeter {
  readonly #windowSeconds: number;
  #window: Sample[] = [];
  #previousEnd: number | undefined;
  #lastKeyframeAt: number | undefined;
  #keyframeInterval: number | null = null;
  #dropped = 0;

  constructor(windowSeconds = 5) {
    this.#windowSeconds = windowSeconds;
  }

  fragment(unit: Sample): void {
    const frameSeconds = unit.samples > 0 ? unit.durationSeconds / unit.samples : 0;
    if (this.#previousEnd !== undefined && frameSeconds > 0) {
      const gap = unit.decodeTimeSeconds - this.#previousEnd;
      if (gap > frameSeconds * GAP_TOLERANCE_FRAMES) this.#dropped += Math.round(gap / frameSeconds);
    }
    this.#previousEnd = unit.decodeTimeSeconds + unit.durationSeconds;
    if (unit.keyframe) {
      if (this.#lastKeyframeAt !== undefined)
        this.#keyframeInterval = round(unit.decodeTimeSeconds - this.#lastKeyframeAt, 3);
      this.#lastKeyframeAt = unit.decodeTimeSeconds;
    }
    this.#window.push(unit);
    let span = this.#window.reduce((sum, s) => sum + s.durationSeconds, 0);
    while (this.#window.length > 1 && span - (this.#window[0]?.durationSeconds ?? 0) >= this.#windowSeconds) {
      span -= this.#window.shift()?.durationSeconds ?? 0;
    }
  }

  /** A new FFmpeg run: its timeline starts again, so neither its gap nor its first keyframe spans the seam. */
  restart(): void {
    this.#previousEnd = undefined;
    this.#lastKeyframeAt = undefined;
  }

  get health(): LiveStreamHealth {
    const seconds = this.#window.reduce((sum, s) => sum + s.durationSeconds, 0);
    const bytes = this.#window.reduce((sum, s) => sum + s.bytes.length, 0);
    const frames = this.#window.reduce((sum, s) => sum + s.samples, 0);
    return {
      inputBitrate: seconds > 0 ? Math.round((bytes * 8) / seconds) : 0,
      frameRate: seconds > 0 ? round(frames / seconds, 2) : 0,
      keyframeIntervalSeconds: this.#keyframeInterval,
      droppedFrames: this.#dropped,
    };
  }
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
