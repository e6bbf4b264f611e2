import { renderMediaPlaylist } from './playlist.js';
import type { PackagerState } from './state.js';

/** A playlist request's LL-HLS query: `_HLS_msn`, `_HLS_part`, `_HLS_skip`. */
export interface ReloadRequest {
  msn?: number;
  part?: number;
  /** `_HLS_skip=YES` (or `v2`, which also skips date ranges; we have none). */
  skip: boolean;
}

export type ParsedReload = { ok: true; request: ReloadRequest } | { ok: false; reason: string };

export type ReloadDecision =
  | { action: 'answer' }
  | { action: 'wait' }
  | { action: 'refuse'; status: 400; reason: string };

/** How far past the last part of the segment in progress a request may ask (Apple's limit). */
const ADVANCE_PART_LIMIT = 3;

const INTEGER = /^(?:0|[1-9]\d{0,9})$/;

/** Parses the LL-HLS query of a playlist request; a malformed one is a 400. */
export function parseReloadQuery(query: URLSearchParams): ParsedReload {
  const msnText = query.get('_HLS_msn');
  const partText = query.get('_HLS_part');
  const skipText = query.get('_HLS_skip');
  if (msnText !== null && !INTEGER.test(msnText)) return { ok: false, reason: '_HLS_msn is not an integer' };
  if (partText !== null && !INTEGER.test(partText))
    return { ok: false, reason: '_HLS_part is not an integer' };
  if (partText !== null && msnText === null) return { ok: false, reason: '_HLS_part without _HLS_msn' };
  if (skipText !== null && skipText !== 'YES' && skipText !== 'v2') {
    return { ok: false, reason: '_HLS_skip is neither YES nor v2' };
  }
  return {
    ok: true,
    request: {
      ...(msnText !== null ? { msn: Number(msnText) } : {}),
      ...(partText !== null ? { part: Number(partText) } : {}),
      skip: skipText !== null,
    },
  };
}

/**
 * Whether the playlist of `state` holds what `request` waits for: segment `msn` finished, or with
 * `part`, that part of it or anything later; a plain request, any part. A part index past the last part of a finished segment
 * means part 0 of the next segment, as Apple's spec requires.
 */
export function isReloadSatisfied(state: PackagerState, request: ReloadRequest): boolean {
  if (state.ended) return true;
  // A playlist without a single part would only make a player give up: wait for the first one.
  if (request.msn === undefined) return state.current !== undefined || state.segments.length > 0;
  let { msn, part } = request;
  const finished = state.segments.find((segment) => segment.msn === msn);
  if (finished && part !== undefined && part >= finished.parts.length) {
    msn += 1;
    part = 0;
  }
  const lastFinished = state.segments[state.segments.length - 1]?.msn ?? state.mediaSequence - 1;
  if (msn <= lastFinished) return true;
  if (part === undefined || !state.current) return false;
  if (state.current.msn > msn) return true;
  return state.current.msn === msn && part < state.current.parts.length;
}

/**
 * What to do with a playlist request: answer now, block until the state satisfies it, or refuse
 * one that asks for more than one segment beyond the segment in progress (or parts too far past
 * its last), which would otherwise hold a connection for nothing.
 */
export function decideReload(state: PackagerState, request: ReloadRequest): ReloadDecision {
  if (isReloadSatisfied(state, request)) return { action: 'answer' };
  if (request.msn === undefined) return { action: 'wait' };
  const msn = request.msn;
  const live =
    state.current?.msn ?? (state.segments[state.segments.length - 1]?.msn ?? state.mediaSequence - 1) + 1;
  if (msn > live + 1)
    return refuse(`_HLS_msn=${msn} is more than one segment beyond the live edge (${live})`);
  const partsSoFar = msn === live ? (state.current?.parts.length ?? 0) : 0;
  if (request.part !== undefined && request.part >= partsSoFar + ADVANCE_PART_LIMIT) {
    return refuse(`_HLS_part=${request.part} is more than ${ADVANCE_PART_LIMIT} parts beyond the live edge`);
  }
  return { action: 'wait' };
}

/** How long a blocked reload waits before the server gives up (503): three target durations. */
export const reloadTimeoutMs = (state: PackagerState): number => 3 * state.targetDuration * 1000;

const refuse = (reason: string): ReloadDecision => ({ action: 'refuse', status: 400, reason });

interface Waiter {
  request: ReloadRequest;
  resolve: (state: PackagerState | undefined) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Holds blocked playlist reloads of one rendition until the packager's state satisfies them: the
 * condition variable of gohlslib's muxer. Feed it every state (`PackagerOptions.onChange`).
 */
export class ReloadWaiters {
  #waiters = new Set<Waiter>();
  #state: PackagerState;

  constructor(initial: PackagerState) {
    this.#state = initial;
  }

  /** The latest state it was fed. */
  get state(): PackagerState {
    return this.#state;
  }

  /** Blocked requests right now. */
  get size(): number {
    return this.#waiters.size;
  }

  /** A new state: releases every request it satisfies. */
  notify(state: PackagerState): void {
    this.#state = state;
    for (const waiter of this.#waiters) {
      if (isReloadSatisfied(state, waiter.request)) this.#settle(waiter, state);
    }
  }

  /**
   * The first state satisfying `request`, or undefined after `timeoutMs` (answer 503). Call it
   * only after `decideReload` said `wait`.
   */
  wait(request: ReloadRequest, timeoutMs = reloadTimeoutMs(this.#state)): Promise<PackagerState | undefined> {
    if (isReloadSatisfied(this.#state, request)) return Promise.resolve(this.#state);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        request,
        resolve,
        timer: setTimeout(() => this.#settle(waiter, undefined), timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  #settle(waiter: Waiter, state: PackagerState | undefined): void {
    clearTimeout(waiter.timer);
    this.#waiters.delete(waiter);
    waiter.resolve(state);
  }
}

/** What a playlist request gets, transport aside. */
export interface PlaylistResponse {
  status: 200 | 400 | 503;
  body: string;
}

/**
 * One media playlist request end to end: parse the LL-HLS query, refuse it, block until the
 * packager gets there (503 after the timeout), then render (a delta update for `_HLS_skip`).
 * `render` lets the caller add rendition reports.
 */
export async function answerPlaylistRequest(
  waiters: ReloadWaiters,
  query: URLSearchParams,
  render: (state: PackagerState, request: ReloadRequest) => string = (state, request) =>
    renderMediaPlaylist(state, { skip: request.skip }),
): Promise<PlaylistResponse> {
  const parsed = parseReloadQuery(query);
  if (!parsed.ok) return { status: 400, body: parsed.reason };
  const decision = decideReload(waiters.state, parsed.request);
  if (decision.action === 'refuse') return { status: 400, body: decision.reason };
  const state = decision.action === 'answer' ? waiters.state : await waiters.wait(parsed.request);
  if (!state) return { status: 503, body: 'the requested part did not arrive in time' };
  return { status: 200, body: render(state, parsed.request) };
}
