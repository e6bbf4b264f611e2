// The state an LL-HLS media playlist is rendered from, shared by the live transcoder (whose
// packager produces it) and the origin (which renders playlists and answers blocking reloads).
// Runtime-neutral and pure, like the rest of protocol/.

/** One LL-HLS part: one fMP4 fragment. Names are immutable once handed out. */
export interface LivePart {
  msn: number;
  /** 0-based index within its segment. */
  index: number;
  name: string;
  durationSeconds: number;
  /** Starts with a keyframe: `INDEPENDENT=YES`. */
  independent: boolean;
}

/** One media segment, finished or in progress (then `parts` is what exists so far). */
export interface LiveSegment {
  /** Media sequence number; also the segment's number in its file name. */
  msn: number;
  name: string;
  /** Init segment (`EXT-X-MAP`) this segment's fragments need. */
  init: string;
  parts: LivePart[];
  durationSeconds: number;
  /** Wall clock (epoch milliseconds) of the segment's first frame: `EXT-X-PROGRAM-DATE-TIME`. */
  programDateTime: number;
  /** The encoder reconnected before this segment: `EXT-X-DISCONTINUITY`. */
  discontinuity: boolean;
}

/** Everything a playlist is rendered from; a snapshot, never mutated after it is handed out. */
export interface PackagerState {
  /** `EXT-X-TARGETDURATION`: whole seconds, at least every finished segment's rounded duration. */
  targetDuration: number;
  /** `PART-TARGET` in seconds, at least every part's duration. */
  partTarget: number;
  /** msn of the first segment in the window. */
  mediaSequence: number;
  /** Discontinuities that have left the window: `EXT-X-DISCONTINUITY-SEQUENCE`. */
  discontinuitySequence: number;
  /** Finished segments in the window, oldest first. */
  segments: readonly LiveSegment[];
  /** The segment being filled; undefined before the first part and right after a discontinuity. */
  current: LiveSegment | undefined;
  /** The name the next part will have, as far as can be known: `EXT-X-PRELOAD-HINT`. */
  preloadHint: string | undefined;
  ended: boolean;
}
