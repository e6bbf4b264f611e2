import type { LiveStateInput, LiveStreamHealth } from '../../../../protocol/live.js';
import type { PackagerState } from '../../../../protocol/live-hls/state.js';
import type { HlsFileKind } from '../../../../protocol/media.js';
import { RenditionBuffer, type RenditionLimits } from './rendition-buffer.js';

export interface LiveHubOptions extends RenditionLimits {
  /** How long an ended stream still answers (playlists with `EXT-X-ENDLIST`) before it is freed. */
  endGraceMs: number;
}

/** ~10 s of parts (50 at 200 ms), at most 64 MiB of them per rendition; 4 segments in memory. */
export const DEFAULT_LIVE_HUB_OPTIONS: LiveHubOptions = {
  partRetentionMs: 10_000,
  maxPartBytes: 64 * 1024 * 1024,
  segmentsInMemory: 4,
  endGraceMs: 60_000,
};

/** A viewer counts as watching for this long after their last heartbeat. */
export const VIEWER_PRESENCE_MS = 30_000;

/** One live video on this origin: its renditions by folder name, its health and its viewers. */
export class LiveStream {
  readonly renditions = new Map<string, RenditionBuffer>();
  ended = false;
  /** What the live transcoder last measured on the source. */
  health: LiveStreamHealth | undefined;
  /** Viewer key (user id, else client address) -> last heartbeat, in ms since the epoch. */
  readonly viewers = new Map<string, number>();
}

/** What a live video's JSON says while it is on air. */
export interface LiveFacts {
  viewers: number;
  health: LiveStreamHealth | null;
}

type WireState = LiveStateInput['renditions'][number]['state'];

/** The wire form (optional keys) to the packager's form (keys always present). */
const packagerState = (state: WireState): PackagerState => ({
  ...state,
  current: state.current,
  preloadHint: state.preloadHint,
});

/**
 * The origin's live hub: what live transcoders push (parts, segments, packager state), held in
 * memory per video, so playlists are rendered and blocking reloads answered here. It lives in the
 * memory of the origin the transcoder pushes to (see docs/adr/0012-live-hub.md for multi-origin).
 */
export class LiveHub {
  readonly #streams = new Map<string, LiveStream>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #options: LiveHubOptions;

  constructor(options: Partial<LiveHubOptions> = {}) {
    this.#options = { ...DEFAULT_LIVE_HUB_OPTIONS, ...options };
  }

  /** The live video on this origin, or undefined (never pushed here, or freed after its end). */
  stream(videoId: string): LiveStream | undefined {
    return this.#streams.get(videoId);
  }

  /** Videos this origin holds, ended ones inside their grace period included. */
  videoIds(): string[] {
    return [...this.#streams.keys()];
  }

  putFile(
    videoId: string,
    rendition: string,
    kind: Exclude<HlsFileKind, 'playlist'>,
    name: string,
    bytes: Uint8Array<ArrayBuffer>,
  ) {
    this.#rendition(videoId, rendition)?.put(kind, name, bytes);
  }

  /** The newest state of every rendition pushed; wakes the reloads it satisfies. */
  putState(videoId: string, input: LiveStateInput): void {
    const stream = this.#streams.get(videoId);
    if (stream && input.health) stream.health = input.health;
    for (const rendition of input.renditions) {
      const buffer = this.#rendition(videoId, rendition.name);
      if (!buffer) return;
      const { state, ...variant } = rendition;
      buffer.variant = variant;
      buffer.setState(packagerState(state));
    }
  }

  /** A viewer of a live on this origin is still watching (a heartbeat from its player). */
  markViewer(videoId: string, viewerKey: string, now = Date.now()): void {
    const stream = this.#streams.get(videoId);
    if (!stream || stream.ended) return;
    stream.viewers.set(viewerKey, now);
  }

  /** Viewers seen within `VIEWER_PRESENCE_MS`, and the source's health; undefined when not held here. */
  facts(videoId: string, now = Date.now()): LiveFacts | undefined {
    const stream = this.#streams.get(videoId);
    if (!stream) return undefined;
    for (const [key, at] of stream.viewers) if (now - at > VIEWER_PRESENCE_MS) stream.viewers.delete(key);
    return { viewers: stream.viewers.size, health: stream.health ?? null };
  }

  /**
   * The session ended: playlists end (`EXT-X-ENDLIST`), blocked requests are answered, and the
   * memory is freed after the grace period. Segments stay in storage: they are the recording.
   */
  end(videoId: string): void {
    const stream = this.#streams.get(videoId);
    if (!stream || stream.ended) return;
    stream.ended = true;
    for (const rendition of stream.renditions.values()) rendition.end();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.#streams.get(videoId) === stream) this.#streams.delete(videoId);
    }, this.#options.endGraceMs);
    timer.unref?.();
    this.#timers.add(timer);
  }

  /** Frees everything at once (shutdown, tests). */
  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const stream of this.#streams.values())
      for (const rendition of stream.renditions.values()) rendition.end();
    this.#streams.clear();
  }

  /** The rendition a push goes to (created on first use); undefined once the stream has ended. */
  #rendition(videoId: string, name: string): RenditionBuffer | undefined {
    let stream = this.#streams.get(videoId);
    if (!stream) {
      stream = new LiveStream();
      this.#streams.set(videoId, stream);
    }
    if (stream.ended) return undefined;
    let rendition = stream.renditions.get(name);
    if (!rendition) {
      rendition = new RenditionBuffer(this.#options);
      stream.renditions.set(name, rendition);
    }
    return rendition;
  }
}
