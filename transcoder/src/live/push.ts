import type { LiveStateInput, LiveStreamHealth } from '../../../protocol/live.js';
import type { PackagerState } from '../../../protocol/live-hls/state.js';

/** Where pushed files and states go (the origin client, or a fake in tests). */
export interface LivePushTarget {
  putFile(rendition: string, file: string, bytes: Uint8Array): Promise<void>;
  putState(state: LiveStateInput): Promise<void>;
}

export interface LivePusherOptions {
  /** A push failed after its retries; `lost` when the origin says the lease is gone. */
  onError?: (error: unknown, what: string) => void;
  /** Attempts per file; a part missed is a hole in the live edge. Default 3. */
  attempts?: number;
  /** Whether an error means retrying is pointless (the lease is gone). */
  isFatal?: (error: unknown) => boolean;
}

/**
 * Pushes a live job's files and states to the origin in the order the contract needs:
 * - files go at once, in parallel;
 * - a state waits for every file handed in before it (parts before the state that names them);
 * - at most one state PUT is in flight; states arriving meanwhile collapse into the newest.
 */
export class LivePusher {
  #files = new Set<Promise<void>>();
  #latest: { state: LiveStateInput; after: Promise<void>[] } | undefined;
  #draining: Promise<void> | undefined;
  #statesSent = 0;

  constructor(
    private readonly target: LivePushTarget,
    private readonly options: LivePusherOptions = {},
  ) {}

  /** States actually PUT (fewer than pushed when they were coalesced). */
  get statesSent(): number {
    return this.#statesSent;
  }

  file(rendition: string, file: string, bytes: Uint8Array): void {
    const done = this.#withRetries(() => this.target.putFile(rendition, file, bytes), `${rendition}/${file}`);
    this.#files.add(done);
    void done.finally(() => this.#files.delete(done));
  }

  state(state: LiveStateInput): void {
    this.#latest = { state, after: [...this.#files] };
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
    });
  }

  /** Resolves once every file and state handed in so far has been pushed (or given up on). */
  async idle(): Promise<void> {
    while (this.#files.size > 0 || this.#draining) {
      await Promise.all([...this.#files, this.#draining]);
    }
  }

  async #drain(): Promise<void> {
    while (this.#latest) {
      const next = this.#latest;
      this.#latest = undefined;
      await Promise.all(next.after);
      await this.#withRetries(() => this.target.putState(next.state), 'state', 1);
      this.#statesSent++;
    }
  }

  /** Never rejects: failures go to `onError`. A state is not retried: a newer one follows. */
  async #withRetries(put: () => Promise<void>, what: string, attempts = this.options.attempts ?? 3) {
    for (let attempt = 1; ; attempt++) {
      try {
        await put();
        return;
      } catch (error) {
        if (attempt >= attempts || this.options.isFatal?.(error)) {
          this.options.onError?.(error, what);
          return;
        }
      }
    }
  }
}

/** One rendition as the state body lists it (protocol/live.ts `LiveRenditionStateSchema`). */
export interface RenditionDescription {
  name: string;
  bandwidth: number;
  codecs?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  state: PackagerState;
}

/** The body of `PUT .../live/state` from the renditions' packager states. */
export function liveStateInput(
  renditions: readonly RenditionDescription[],
  health?: LiveStreamHealth,
): LiveStateInput {
  return {
    ...(health ? { health } : {}),
    renditions: renditions.map(({ state, codecs, width, height, ...rest }) => ({
      ...rest,
      ...(codecs ? { codecs } : {}),
      ...(width ? { width } : {}),
      ...(height ? { height } : {}),
      state: { ...state, segments: [...state.segments] },
    })),
  };
}
