import { ReloadWaiters } from '../../../../protocol/live-hls/blocking.js';
import type { LiveVariant } from '../../../../protocol/live-hls/multivariant.js';
import type { PackagerState } from '../../../../protocol/live-hls/state.js';
import { type HlsFileKind, liveInitGenerationOf, liveMsnOf } from '../../../../protocol/media.js';
import { type Carry, carryOf, isTakeover, mergeCarry } from './takeover.js';

/** How much of a rendition the hub keeps in memory. */
export interface RenditionLimits {
  /** Parts older than this (by arrival) are dropped: the live edge needs only the last few. */
  partRetentionMs: number;
  /** Hard cap on the bytes of parts kept, whatever their age (a runaway bitrate). */
  maxPartBytes: number;
  /** Finished segments kept in memory for the live edge; all of them are in storage too. */
  segmentsInMemory: number;
}

/** The state before the first push: nothing to play yet. */
const EMPTY_STATE: PackagerState = {
  targetDuration: 1,
  partTarget: 0.2,
  mediaSequence: 0,
  discontinuitySequence: 0,
  segments: [],
  current: undefined,
  preloadHint: undefined,
  ended: false,
};

type FileWaiter = (bytes: Uint8Array<ArrayBuffer> | undefined) => void;

/** Whether `state` already lists a part called `name` (in progress or in the last segment). */
function listsPart(state: PackagerState, name: string): boolean {
  const last = state.segments[state.segments.length - 1];
  return [state.current, last].some((segment) => segment?.parts.some((part) => part.name === name));
}

/**
 * One live rendition in the origin's memory: the newest packager state (with the reloads blocked
 * on it), the recent parts, the recent segments and the init segments.
 */
export class RenditionBuffer {
  /** How the multivariant playlist lists it; set by the first state push. */
  variant: LiveVariant | undefined;
  readonly reloads = new ReloadWaiters(EMPTY_STATE);
  readonly #limits: RenditionLimits;
  /** Insertion order is arrival order, so the oldest part comes first. */
  readonly #parts = new Map<string, { bytes: Uint8Array<ArrayBuffer>; at: number }>();
  #partBytes = 0;
  readonly #segments = new Map<string, Uint8Array<ArrayBuffer>>();
  readonly #inits = new Map<string, Uint8Array<ArrayBuffer>>();
  readonly #fileWaiters = new Map<string, Set<FileWaiter>>();
  /** The earlier attempts' window, once a re-leased job took over (see `takeover.ts`). */
  #carry: Carry | undefined;
  #highestMsn = 0;
  #highestInitGeneration = -1;

  constructor(limits: RenditionLimits) {
    this.#limits = limits;
  }

  get state(): PackagerState {
    return this.reloads.state;
  }

  /** Bytes of parts held right now. */
  get partBytes(): number {
    return this.#partBytes;
  }

  /**
   * The highest msn and init generation this rendition has named (files, listed segments, preload
   * hints): a new attempt of the live job must start past them, as names are immutable.
   */
  get highest(): { msn: number; initGeneration: number } {
    return { msn: this.#highestMsn, initGeneration: this.#highestInitGeneration };
  }

  /**
   * The packager's newest state. A state of a new attempt (it starts past everything listed)
   * continues the window viewers are playing instead of replacing it.
   */
  setState(state: PackagerState): void {
    if (isTakeover(this.state, state)) this.#carry = carryOf(this.state);
    const shown = this.#carry ? mergeCarry(this.#carry, state) : state;
    for (const segment of [...shown.segments, ...(shown.current ? [shown.current] : [])]) {
      this.#note(segment.name);
      this.#note(segment.init);
    }
    this.#note(shown.preloadHint);
    this.reloads.notify(shown);
  }

  #note(name: string | undefined): void {
    this.#highestMsn = Math.max(this.#highestMsn, liveMsnOf(name) ?? 0);
    this.#highestInitGeneration = Math.max(this.#highestInitGeneration, liveInitGenerationOf(name) ?? -1);
  }

  put(
    kind: Exclude<HlsFileKind, 'playlist'>,
    name: string,
    bytes: Uint8Array<ArrayBuffer>,
    now = Date.now(),
  ): void {
    this.#note(name);
    if (kind === 'init') this.#inits.set(name, bytes);
    if (kind === 'segment') {
      this.#segments.set(name, bytes);
      for (const old of this.#segments.keys()) {
        if (this.#segments.size <= this.#limits.segmentsInMemory) break;
        this.#segments.delete(old);
      }
    }
    if (kind === 'part') {
      // ADR 10: a wrong preload hint is repaired by serving the part under the hinted name too.
      // The hint is for the part after the last listed one, so a part the state does not list
      // yet is the one it guessed; a part pushed after its state is never taken for the hint.
      const hint = this.state.preloadHint;
      if (hint && hint !== name && !this.#parts.has(hint) && !listsPart(this.state, name)) {
        this.#note(hint);
        this.#addPart(hint, bytes, now);
        this.#wake(hint, bytes);
      }
      this.#addPart(name, bytes, now);
      this.#evictParts(now);
    }
    this.#wake(name, bytes);
  }

  /** A file's bytes from memory; undefined when it is not (or no longer) here. */
  get(kind: Exclude<HlsFileKind, 'playlist'>, name: string): Uint8Array<ArrayBuffer> | undefined {
    if (kind === 'part') return this.#parts.get(name)?.bytes;
    if (kind === 'segment') return this.#segments.get(name);
    return this.#inits.get(name);
  }

  /**
   * Whether a part not here yet may still arrive soon: the preload hint, or a part the state
   * already lists (its state was pushed before its bytes). Requests for it wait (`waitFor`).
   */
  expects(name: string): boolean {
    if (this.state.ended) return false;
    return this.state.preloadHint === name || listsPart(this.state, name);
  }

  /** The bytes of `name` once they arrive, or undefined after `timeoutMs` or when the stream ends. */
  waitFor(name: string, timeoutMs: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
    return new Promise((resolve) => {
      const waiters = this.#fileWaiters.get(name) ?? new Set<FileWaiter>();
      this.#fileWaiters.set(name, waiters);
      const done: FileWaiter = (bytes) => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0 && this.#fileWaiters.get(name) === waiters) this.#fileWaiters.delete(name);
        resolve(bytes);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      waiters.add(done);
    });
  }

  /** The stream is over: playlists get `EXT-X-ENDLIST`, every blocked request is answered. */
  end(): void {
    if (!this.state.ended) this.reloads.notify({ ...this.state, ended: true, preloadHint: undefined });
    for (const waiters of [...this.#fileWaiters.values()])
      for (const waiter of [...waiters]) waiter(undefined);
  }

  #addPart(name: string, bytes: Uint8Array<ArrayBuffer>, at: number): void {
    const old = this.#parts.get(name);
    if (old) this.#partBytes -= old.bytes.byteLength;
    this.#parts.delete(name);
    this.#parts.set(name, { bytes, at });
    this.#partBytes += bytes.byteLength;
  }

  #evictParts(now: number): void {
    for (const [name, part] of this.#parts) {
      const tooOld = now - part.at > this.#limits.partRetentionMs;
      if (!tooOld && this.#partBytes <= this.#limits.maxPartBytes) break;
      this.#parts.delete(name);
      this.#partBytes -= part.bytes.byteLength;
    }
  }

  #wake(name: string, bytes: Uint8Array<ArrayBuffer>): void {
    for (const waiter of [...(this.#fileWaiters.get(name) ?? [])]) waiter(bytes);
  }
}
