/** Where a stream's RTP goes: one WHEP viewer's tracks. Packets are serialized RTP. */
export interface RtpSink {
  video(packet: Buffer): void;
  audio(packet: Buffer): void;
  /** The source went away (publisher left, stream ended): close the viewer. */
  end(): void;
}

/**
 * One live stream's RTP, fanned out to its WHEP viewers as is (each viewer's werift sender
 * rewrites SSRC, payload type and sequence numbers for its own connection). A packet is
 * serialized once and shared; a viewer that throws is dropped, never the stream.
 */
export class RtpFanout {
  readonly #sinks = new Set<RtpSink>();
  readonly #requestKeyframe: () => void;
  #onEmpty: (() => void) | undefined;

  constructor(requestKeyframe: () => void = () => {}) {
    this.#requestKeyframe = requestKeyframe;
  }

  get viewers(): number {
    return this.#sinks.size;
  }

  /** Called when the last viewer detaches (an FFmpeg-fed source stops then). */
  set onEmpty(run: () => void) {
    this.#onEmpty = run;
  }

  video(packet: Buffer): void {
    for (const sink of this.#sinks) this.#deliver(sink, () => sink.video(packet));
  }

  audio(packet: Buffer): void {
    for (const sink of this.#sinks) this.#deliver(sink, () => sink.audio(packet));
  }

  /** Add a viewer; a fresh keyframe is asked for, so its picture starts at once. Returns detach. */
  attach(sink: RtpSink): () => void {
    this.#sinks.add(sink);
    this.#requestKeyframe();
    return () => {
      if (this.#sinks.delete(sink) && this.#sinks.size === 0) this.#onEmpty?.();
    };
  }

  /** The source ended: every viewer is told. */
  end(): void {
    const sinks = [...this.#sinks];
    this.#sinks.clear();
    for (const sink of sinks) this.#deliver(sink, () => sink.end());
  }

  #deliver(sink: RtpSink, run: () => void): void {
    try {
      run();
    } catch {
      this.#sinks.delete(sink);
    }
  }
}
