import { randomBytes } from 'node:crypto';
import { MediaStreamTrack, type RTCPeerConnection } from 'werift';
import type { RtpFanout, RtpSink } from './fanout.js';
import { answerOffer, createPeer, type PeerOptions } from './peer.js';

/** A viewer whose ICE has not connected by then is dropped. */
const CONNECT_TIMEOUT_MS = 15_000;

/**
 * One WHEP viewer: a werift peer connection sending the stream's H.264 and Opus tracks, fed
 * from the stream's fan-out from the moment ICE connects until either side leaves.
 */
export class WhepViewer implements RtpSink {
  readonly id = randomBytes(16).toString('base64url');
  readonly #pc: RTCPeerConnection;
  readonly #videoTrack = new MediaStreamTrack({ kind: 'video' });
  readonly #audioTrack = new MediaStreamTrack({ kind: 'audio' });
  readonly #onEnd: (viewer: WhepViewer) => void;
  #detach: (() => void) | undefined;
  #timer?: NodeJS.Timeout;
  #ended = false;

  private constructor(
    readonly videoId: string,
    peer: PeerOptions,
    onEnd: (viewer: WhepViewer) => void,
  ) {
    this.#pc = createPeer(peer);
    this.#onEnd = onEnd;
  }

  static async start(input: {
    videoId: string;
    offer: string;
    fanout: RtpFanout;
    peer: PeerOptions;
    onEnd: (viewer: WhepViewer) => void;
  }): Promise<{ viewer: WhepViewer; answer: string }> {
    const viewer = new WhepViewer(input.videoId, input.peer, input.onEnd);
    const pc = viewer.#pc;
    try {
      pc.addTransceiver(viewer.#videoTrack, { direction: 'sendonly' });
      pc.addTransceiver(viewer.#audioTrack, { direction: 'sendonly' });
      pc.connectionStateChange.subscribe((state) => {
        if (state === 'connected' && !viewer.#detach && !viewer.#ended)
          viewer.#detach = input.fanout.attach(viewer);
        if (state === 'failed' || state === 'closed') viewer.end();
      });
      const answer = await answerOffer(pc, input.offer);
      viewer.#timer = setTimeout(() => {
        if (pc.connectionState !== 'connected') viewer.end();
      }, CONNECT_TIMEOUT_MS);
      return { viewer, answer };
    } catch (error) {
      viewer.end();
      throw error;
    }
  }

  async addCandidates(candidates: string[]): Promise<void> {
    for (const candidate of candidates) await this.#pc.addIceCandidate({ candidate, sdpMLineIndex: 0 });
  }

  video(packet: Buffer): void {
    this.#videoTrack.writeRtp(packet);
  }

  audio(packet: Buffer): void {
    this.#audioTrack.writeRtp(packet);
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#timer);
    this.#detach?.();
    void this.#pc.close().catch(() => {});
    this.#onEnd(this);
  }
}
