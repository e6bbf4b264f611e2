import type { LivePart, LiveSegment, PackagerState } from '../../../protocol/live-hls/state.js';
import { initName, partName, segmentName } from '../../../protocol/media.js';
import type { FragmentUnit, InitUnit } from './fmp4.js';

export type { LivePart, LiveSegment, PackagerState };

/** A part as it is emitted, with its bytes (moof + mdat). */
export interface PartOutput extends LivePart {
  bytes: Uint8Array;
  /**
   * Set when the preload hint announced this part under another name (a keyframe came where none
   * was expected, or none came where one was): serve the bytes under that name too, so a player
   * holding the hint gets them. The hinted name is never used for anything else.
   */
  hintedAs?: string;
}

/** A finished segment as it is emitted: every part's bytes, concatenated. */
export interface SegmentOutput extends LiveSegment {
  bytes: Uint8Array;
}

export interface PackagerOptions {
  /** Segment duration to aim for; segments are cut at the first keyframe at or after it. Default 1. */
  targetSegmentSeconds?: number;
  /** Expected part duration (FFmpeg's `-frag_duration`). Default 0.2. */
  partTargetSeconds?: number;
  /** Finished segments kept in the live playlist; at least 7 (the default). */
  windowSegments?: number;
  /** msn (and file number) of the first segment; a re-leased job continues after the last one. Default 1. */
  firstMediaSequence?: number;
  /** Generation of the first init segment (`initName`); a re-leased job continues too. Default 0. */
  firstInitGeneration?: number;
  /**
   * The stream continues another packager's (a re-leased job, whose window the hub keeps
   * serving): the first segment carries `EXT-X-DISCONTINUITY`. Default false.
   */
  discontinuity?: boolean;
  /** Wall clock in epoch milliseconds; injected by tests. */
  now?: () => number;
  onInit?: (init: { name: string; bytes: Uint8Array }) => void;
  onPart?: (part: PartOutput) => void;
  /** Every finished segment, once: storage (the DVR window and the recording). */
  onSegment?: (segment: SegmentOutput) => void;
  /** After every change of the state (new part, segment, discontinuity, end): wakes blocked reloads. */
  onChange?: (state: PackagerState) => void;
}

const EPSILON = 1e-6;

/**
 * The LL-HLS state machine of one rendition: fragments in, parts and segments out, and the state
 * the playlist is rendered from. One fragment is one part; a segment ends at the first keyframe
 * part at or after the target duration, so a copied source with a 2 s GOP yields 2 s segments.
 */
export class LlHlsPackager {
  readonly #options: Required<Omit<PackagerOptions, 'onInit' | 'onPart' | 'onSegment' | 'onChange'>> &
    PackagerOptions;
  #segments: LiveSegment[] = [];
  #current: (LiveSegment & { chunks: Uint8Array[] }) | undefined;
  #nextMsn: number;
  #targetDuration: number;
  #partTarget: number;
  #discontinuitySequence = 0;
  #pendingDiscontinuity = false;
  #init: { name: string; bytes: Uint8Array; generation: number } | undefined;
  /** Wall clock and media time of the first frame after a start or discontinuity. */
  #anchor: { wall: number; media: number } | undefined;
  #lastKeyframe: { media: number; interval: number | undefined } | undefined;
  /** Media time at the end of the last part. */
  #mediaEdge = 0;
  #preloadHint: string | undefined;
  #ended = false;
  #state: PackagerState;

  constructor(options: PackagerOptions = {}) {
    this.#options = {
      targetSegmentSeconds: 1,
      partTargetSeconds: 0.2,
      windowSegments: 7,
      firstMediaSequence: 1,
      firstInitGeneration: 0,
      discontinuity: false,
      now: Date.now,
      ...options,
    };
    if (this.#options.windowSegments < 7) throw new RangeError('an LL-HLS window holds at least 7 segments');
    this.#nextMsn = this.#options.firstMediaSequence;
    this.#pendingDiscontinuity = this.#options.discontinuity;
    this.#targetDuration = Math.ceil(this.#options.targetSegmentSeconds - EPSILON);
    this.#partTarget = this.#options.partTargetSeconds;
    this.#state = this.#snapshot();
  }

  /** The current state; a new object after each change, so it can be held while rendering. */
  get state(): PackagerState {
    return this.#state;
  }

  /** The init segment of the stream (ftyp + moov). Unchanged bytes after a reconnect are ignored. */
  pushInit(init: InitUnit): void {
    if (this.#init && equalBytes(this.#init.bytes, init.bytes)) return;
    const generation = this.#init ? this.#init.generation + 1 : this.#options.firstInitGeneration;
    this.#init = { name: initName(generation), bytes: init.bytes, generation };
    this.#options.onInit?.({ name: this.#init.name, bytes: init.bytes });
  }

  /** One fragment: becomes the next part, first finishing the segment when it starts on a keyframe. */
  pushFragment(fragment: FragmentUnit): void {
    if (this.#ended) throw new Error('the live has ended');
    if (!this.#init) throw new Error('a fragment before the init segment');
    // A segment must start on a keyframe: what comes before the first one cannot be played.
    if (!this.#current && !fragment.keyframe) return;
    const hinted = this.#preloadHint;
    if (fragment.keyframe) this.#noteKeyframe(fragment.decodeTimeSeconds);
    const current = this.#current;
    if (
      current &&
      fragment.keyframe &&
      current.durationSeconds >= this.#options.targetSegmentSeconds - EPSILON
    ) {
      this.#finishSegment();
    }
    this.#anchor ??= {
      // FFmpeg hands a fragment over once it has the frame after it: its first frame is one
      // fragment older than its arrival.
      wall: this.#options.now() - fragment.durationSeconds * 1000,
      media: fragment.decodeTimeSeconds,
    };
    const segment = this.#current ?? this.#startSegment(fragment);
    const part: LivePart = {
      msn: segment.msn,
      index: segment.parts.length,
      name: partName(segment.msn, segment.parts.length),
      durationSeconds: fragment.durationSeconds,
      independent: fragment.keyframe,
    };
    segment.parts.push(part);
    segment.chunks.push(fragment.bytes);
    segment.durationSeconds += fragment.durationSeconds;
    this.#partTarget = Math.max(this.#partTarget, fragment.durationSeconds);
    this.#mediaEdge = fragment.decodeTimeSeconds + fragment.durationSeconds;
    this.#preloadHint = this.#predictNextPart();
    this.#options.onPart?.({
      ...part,
      bytes: fragment.bytes,
      ...(hinted && hinted !== part.name ? { hintedAs: hinted } : {}),
    });
    this.#changed();
  }

  /**
   * The encoder reconnected: the segment in progress ends as it is, and the next one carries
   * `EXT-X-DISCONTINUITY` and a new program date time.
   */
  discontinuity(): void {
    if (this.#current) this.#finishSegment();
    if (this.#segments.length > 0) this.#pendingDiscontinuity = true;
    this.#anchor = undefined;
    this.#lastKeyframe = undefined;
    this.#preloadHint = undefined;
    this.#changed();
  }

  /** The live is over: the segment in progress is finished and the playlist gets `EXT-X-ENDLIST`. */
  end(): void {
    if (this.#ended) return;
    if (this.#current) this.#finishSegment();
    this.#ended = true;
    this.#preloadHint = undefined;
    this.#changed();
  }

  #startSegment(fragment: FragmentUnit): LiveSegment & { chunks: Uint8Array[] } {
    const anchor = this.#anchor as { wall: number; media: number };
    const msn = this.#nextMsn++;
    this.#current = {
      msn,
      name: segmentName(msn),
      init: (this.#init as { name: string }).name,
      parts: [],
      chunks: [],
      durationSeconds: 0,
      programDateTime: Math.round(anchor.wall + (fragment.decodeTimeSeconds - anchor.media) * 1000),
      discontinuity: this.#pendingDiscontinuity,
    };
    this.#pendingDiscontinuity = false;
    return this.#current;
  }

  #finishSegment(): void {
    const { chunks, ...segment } = this.#current as LiveSegment & { chunks: Uint8Array[] };
    this.#current = undefined;
    this.#segments.push(segment);
    this.#targetDuration = Math.max(this.#targetDuration, Math.round(segment.durationSeconds));
    while (this.#segments.length > this.#options.windowSegments) {
      if (this.#segments.shift()?.discontinuity) this.#discontinuitySequence++;
    }
    this.#options.onSegment?.({ ...segment, bytes: concatBytes(chunks) });
  }

  #noteKeyframe(media: number): void {
    const interval = this.#lastKeyframe ? media - this.#lastKeyframe.media : undefined;
    this.#lastKeyframe = { media, interval };
  }

  /**
   * Whether the next fragment starts a new segment depends on whether it is a keyframe, which is
   * only known when it comes. Guess from the keyframe interval seen so far (the target duration
   * until one is seen); a wrong guess is repaired by `hintedAs`.
   */
  #predictNextPart(): string {
    const segment = this.#current as LiveSegment;
    const last = segment.parts[segment.parts.length - 1] as LivePart;
    const sinceKeyframe = this.#mediaEdge - (this.#lastKeyframe?.media ?? this.#mediaEdge);
    const interval = this.#lastKeyframe?.interval ?? this.#options.targetSegmentSeconds;
    // A quarter part of slack absorbs rounding, never a whole frame at usual frame rates.
    const keyframeNext = Math.abs(sinceKeyframe - interval) < last.durationSeconds / 4;
    const cutNext = keyframeNext && segment.durationSeconds >= this.#options.targetSegmentSeconds - EPSILON;
    return cutNext ? partName(this.#nextMsn, 0) : partName(segment.msn, segment.parts.length);
  }

  #changed(): void {
    this.#state = this.#snapshot();
    this.#options.onChange?.(this.#state);
  }

  #snapshot(): PackagerState {
    const current = this.#current;
    return {
      targetDuration: this.#targetDuration,
      partTarget: this.#partTarget,
      mediaSequence: this.#segments[0]?.msn ?? current?.msn ?? this.#nextMsn,
      discontinuitySequence: this.#discontinuitySequence,
      segments: [...this.#segments],
      current: current && {
        msn: current.msn,
        name: current.name,
        init: current.init,
        parts: [...current.parts],
        durationSeconds: current.durationSeconds,
        programDateTime: current.programDateTime,
        discontinuity: current.discontinuity,
      },
      preloadHint: this.#preloadHint,
      ended: this.#ended,
    };
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
