import type { LiveSegment, PackagerState } from './state.js';

/** Where another rendition of the same live stands: `EXT-X-RENDITION-REPORT`. */
export interface RenditionReport {
  /** That rendition's media playlist, relative to this one (`../720p/<playlist>`). */
  uri: string;
  lastMsn: number;
  lastPart: number;
}

export interface MediaPlaylistOptions {
  /** A delta update (`_HLS_skip=YES`): segments older than `CAN-SKIP-UNTIL` become `EXT-X-SKIP`. */
  skip?: boolean;
  renditionReports?: readonly RenditionReport[];
}

/** Parts are listed for segments starting within this many target durations of the live edge. */
const PART_WINDOW_TARGETS = 3;
/** `PART-HOLD-BACK` in part targets (Apple requires at least 2; 3 gives one part of slack). */
const PART_HOLD_BACK_PARTS = 3;
/** `CAN-SKIP-UNTIL` in target durations (Apple's minimum). */
const SKIP_UNTIL_TARGETS = 6;

const seconds = (value: number): string => value.toFixed(5);
const date = (epochMs: number): string => new Date(epochMs).toISOString();

/** `CAN-SKIP-UNTIL` of a state, in seconds. */
export const skipUntilSeconds = (state: PackagerState): number => SKIP_UNTIL_TARGETS * state.targetDuration;

/**
 * How many leading segments a delta update leaves out: those that end at least `CAN-SKIP-UNTIL`
 * before the end of the playlist.
 */
export function skippedSegments(state: PackagerState): number {
  const boundary = playlistSeconds(state) - skipUntilSeconds(state);
  let skipped = 0;
  let end = 0;
  for (const segment of state.segments) {
    end += segment.durationSeconds;
    if (end > boundary + 1e-9) break;
    skipped++;
  }
  return skipped;
}

/**
 * The LL-HLS media playlist of one rendition, rendered from the packager's state: Apple's
 * "Protocol Extension for Low-Latency HLS" (RFC 8216bis, version 9 for `EXT-X-SKIP`).
 */
export function renderMediaPlaylist(state: PackagerState, options: MediaPlaylistOptions = {}): string {
  const skipped = options.skip ? skippedSegments(state) : 0;
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:9',
    `#EXT-X-TARGETDURATION:${state.targetDuration}`,
    `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=${seconds(PART_HOLD_BACK_PARTS * state.partTarget)},CAN-SKIP-UNTIL=${seconds(skipUntilSeconds(state))}`,
    `#EXT-X-PART-INF:PART-TARGET=${seconds(state.partTarget)}`,
    `#EXT-X-MEDIA-SEQUENCE:${state.mediaSequence}`,
  ];
  if (state.discontinuitySequence > 0)
    lines.push(`#EXT-X-DISCONTINUITY-SEQUENCE:${state.discontinuitySequence}`);
  if (skipped > 0) lines.push(`#EXT-X-SKIP:SKIPPED-SEGMENTS=${skipped}`);

  const listed = [...state.segments.slice(skipped), ...(state.current ? [state.current] : [])];
  const partsFrom = playlistSeconds(state) - PART_WINDOW_TARGETS * state.targetDuration;
  let start = state.segments.slice(0, skipped).reduce((sum, segment) => sum + segment.durationSeconds, 0);
  let init: string | undefined;
  for (const segment of listed) {
    if (segment.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    if (segment.init !== init) lines.push(`#EXT-X-MAP:URI="${segment.init}"`);
    init = segment.init;
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${date(segment.programDateTime)}`);
    if (segment === state.current || start >= partsFrom - 1e-9) lines.push(...partLines(segment));
    if (segment !== state.current) lines.push(`#EXTINF:${seconds(segment.durationSeconds)},`, segment.name);
    start += segment.durationSeconds;
  }
  if (state.preloadHint && !state.ended)
    lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${state.preloadHint}"`);
  for (const report of options.renditionReports ?? []) {
    lines.push(
      `#EXT-X-RENDITION-REPORT:URI="${report.uri}",LAST-MSN=${report.lastMsn},LAST-PART=${report.lastPart}`,
    );
  }
  if (state.ended) lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}

/**
 * The rendition report another rendition's playlist carries for this one: its last part. Undefined
 * before the first part.
 */
export function renditionReportOf(state: PackagerState, uri: string): RenditionReport | undefined {
  const last = state.current ?? state.segments[state.segments.length - 1];
  if (!last || last.parts.length === 0) return undefined;
  return { uri, lastMsn: last.msn, lastPart: last.parts.length - 1 };
}

function partLines(segment: LiveSegment): string[] {
  return segment.parts.map(
    (part) =>
      `#EXT-X-PART:DURATION=${seconds(part.durationSeconds)},URI="${part.name}"${part.independent ? ',INDEPENDENT=YES' : ''}`,
  );
}

/** Seconds from the first segment in the window to the live edge (the end of the last part). */
function playlistSeconds(state: PackagerState): number {
  const finished = state.segments.reduce((sum, segment) => sum + segment.durationSeconds, 0);
  return finished + (state.current?.durationSeconds ?? 0);
}
