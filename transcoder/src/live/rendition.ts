import { ReloadWaiters } from '../../../protocol/live-hls/blocking.js';
import { Fmp4Reader } from './fmp4.js';
import { StreamHealthMeter } from './health.js';
import { LlHlsPackager, type PackagerOptions } from './packager.js';

/**
 * One rendition of a live: FFmpeg's stdout in; parts, segments and released blocking reloads out.
 * It outlives FFmpeg: a restarted process (watchdog, encoder reconnect) is a new input with a
 * reader of its own, and every input after the first is an `EXT-X-DISCONTINUITY`.
 */
export class LiveRendition {
  readonly packager: LlHlsPackager;
  /** Blocked playlist requests of this rendition, released on every change of its state. */
  readonly waiters: ReloadWaiters;
  /** Bitrate, frame rate, keyframe interval and drops of what FFmpeg writes for this rendition. */
  readonly health = new StreamHealthMeter();
  #reader: Fmp4Reader | undefined;
  #inputs = 0;

  constructor(options: PackagerOptions = {}) {
    const holder: { waiters?: ReloadWaiters } = {};
    this.packager = new LlHlsPackager({
      ...options,
      onChange: (state) => {
        holder.waiters?.notify(state);
        options.onChange?.(state);
      },
    });
    this.waiters = new ReloadWaiters(this.packager.state);
    holder.waiters = this.waiters;
  }

  /**
   * A new FFmpeg process starts: returns the function its stdout chunks go to. From then on, bytes
   * of an earlier process are ignored (a killed FFmpeg leaves half a fragment, which is never
   * published). Throws `Fmp4Error` on bytes that are not fragmented MP4: restart the process.
   */
  startInput(): (chunk: Uint8Array) => void {
    const reader = new Fmp4Reader();
    this.#reader = reader;
    if (this.#inputs++ > 0) {
      this.packager.discontinuity();
      this.health.restart();
    }
    return (chunk) => {
      if (this.#reader !== reader) return;
      for (const unit of reader.push(chunk)) {
        if (unit.kind === 'init') this.packager.pushInit(unit);
        else {
          this.health.fragment(unit);
          this.packager.pushFragment(unit);
        }
      }
    };
  }

  /** The live is over: finishes the last segment and releases every blocked reload. */
  end(): void {
    this.#reader = undefined;
    this.packager.end();
  }
}
