import type { LiveSegment, PackagerState } from '../../../../protocol/live-hls/state.js';

/** Finished segments a live playlist lists (the packager's window). */
export const LIVE_WINDOW_SEGMENTS = 7;

/** A finished segment of an earlier attempt, with its absolute discontinuity number. */
interface Carried {
  segment: LiveSegment;
  discontinuity: number;
}

/** The earlier attempts' window that a re-leased live job's playlist continues. */
export interface Carry {
  segments: Carried[];
  /** Discontinuity number of the last carried segment: the new attempt's numbers count from it. */
  base: number;
  targetDuration: number;
  partTarget: number;
}

const lowestMsn = (state: PackagerState): number =>
  state.segments[0]?.msn ?? state.current?.msn ?? state.mediaSequence;

const highestMsn = (state: PackagerState): number | undefined =>
  state.current?.msn ?? state.segments[state.segments.length - 1]?.msn;

/** The absolute discontinuity number of each listed finished segment. */
function numbered(state: PackagerState, base: number): Carried[] {
  let discontinuity = base + state.discontinuitySequence;
  return state.segments.map((segment) => {
    if (segment.discontinuity) discontinuity++;
    return { segment, discontinuity };
  });
}

/**
 * Whether `incoming` comes from a new attempt of the live job (re-leased after its runner died,
 * or restarted on an encoder reconnect): its first msn is past everything `shown` lists. Its
 * packager knows nothing of the earlier window, which viewers are still playing.
 */
export function isTakeover(shown: PackagerState, incoming: PackagerState): boolean {
  const highest = highestMsn(shown);
  return highest !== undefined && lowestMsn(incoming) > highest;
}

/**
 * What the new attempt continues: the finished segments `shown` lists. A segment in progress
 * when the old runner died is dropped (it was never finished, so there is no segment file); its
 * parts are not reused, as the new attempt starts after its msn.
 */
export function carryOf(shown: PackagerState): Carry {
  const segments = numbered(shown, 0);
  return {
    segments,
    base: segments[segments.length - 1]?.discontinuity ?? shown.discontinuitySequence,
    targetDuration: shown.targetDuration,
    partTarget: shown.partTarget,
  };
}

/**
 * The state the hub serves: the earlier attempts' segments, then the new attempt's (whose first
 * segment carries `EXT-X-DISCONTINUITY`), as one window with one discontinuity numbering.
 */
export function mergeCarry(carry: Carry, incoming: PackagerState): PackagerState {
  const first = lowestMsn(incoming);
  const own = numbered(incoming, carry.base);
  const keep = Math.max(0, LIVE_WINDOW_SEGMENTS - own.length);
  const carried = carry.segments.filter((item) => item.segment.msn < first);
  const listed = [...carried.slice(Math.max(0, carried.length - keep)), ...own];
  const head = listed[0];
  const current = incoming.current;
  const discontinuitySequence = head
    ? head.discontinuity - (head.segment.discontinuity ? 1 : 0)
    : carry.base + incoming.discontinuitySequence;
  return {
    ...incoming,
    targetDuration: Math.max(carry.targetDuration, incoming.targetDuration),
    partTarget: Math.max(carry.partTarget, incoming.partTarget),
    mediaSequence: head?.segment.msn ?? current?.msn ?? incoming.mediaSequence,
    discontinuitySequence,
    segments: listed.map((item) => item.segment),
  };
}
