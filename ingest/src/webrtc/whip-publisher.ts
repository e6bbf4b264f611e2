import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import type { MediaStreamTrack, RTCPeerConnection, RtpPacket } from 'werift';
import type { LiveAuthorizeResult } from '../../../protocol/live.js';
import { RTP_PAYLOAD } from '../../../protocol/webrtc.js';
import { RTMP_APP } from '../stream-path.js';
import { RtpFanout } from './fanout.js';
import { whipRelayArgs, whipRelaySdp } from './ffmpeg-args.js';
import { answerOffer, createPeer, type PeerOptions } from './peer.js';
import type { WhipRelayNames } from './relay-names.js';
import { bindUdp, freeRtpPorts } from './rtp-udp.js';
import { spawnFfmpeg, tailStderr } from './spawn.js';

/** A publisher whose ICE has not connected by then is dropped (and its session reported gone). */
const CONNECT_TIMEOUT_MS = 15_000;
/** Keyframes are asked for this often until FFmpeg has published (it needs SPS/PPS to start). */
const KEYFRAME_NAG_MS = 1000;

export interface WhipPublisherOptions {
  offer: string;
  live: LiveAuthorizeResult;
  names: WhipRelayNames;
  rtmpUrl: string;
  ffmpegPath: string;
  peer: PeerOptions;
  logger: Logger;
  /** Runs once when the publisher is gone; `reported` says whether the RTMP server reported it. */
  onEnd(publisher: WhipPublisher, reported: boolean): void;
}

/**
 * One WHIP publisher: a werift peer connection receiving H.264 + Opus, whose RTP is (a) forwarded
 * over loopback UDP to an FFmpeg relay publishing FLV (H.264 copy, AAC) to this node's RTMP server
 * under a one-time relay name, and (b) fanned out as is to WHEP viewers.
 */
export class WhipPublisher {
  readonly id = randomBytes(16).toString('base64url');
  readonly fanout: RtpFanout;
  readonly live: LiveAuthorizeResult;
  readonly #options: WhipPublisherOptions;
  readonly #pc: RTCPeerConnection;
  #relayName = '';
  #socket?: Socket;
  #ports = { video: 0, audio: 0 };
  #ffmpeg?: ReturnType<typeof spawnFfmpeg>;
  #workDir = '';
  #video?: { track: MediaStreamTrack; pli: () => void };
  #timers: NodeJS.Timeout[] = [];
  #ended = false;
  #published = false;

  private constructor(options: WhipPublisherOptions) {
    this.#options = options;
    this.live = options.live;
    this.#pc = createPeer(options.peer);
    this.fanout = new RtpFanout(() => this.#video?.pli());
  }

  /** Answer the offer and start the relay. Throws (after cleaning up) on an offer werift refuses. */
  static async start(options: WhipPublisherOptions): Promise<{ publisher: WhipPublisher; answer: string }> {
    const publisher = new WhipPublisher(options);
    try {
      const answer = await publisher.#negotiate();
      await publisher.#startRelay();
      return { publisher, answer };
    } catch (error) {
      publisher.end('negotiation failed');
      throw error;
    }
  }

  async addCandidates(candidates: string[]): Promise<void> {
    for (const candidate of candidates) await this.#pc.addIceCandidate({ candidate, sdpMLineIndex: 0 });
  }

  /** Stop: close the peer, stop FFmpeg (its RTMP publish ends, the RTMP server reports it). */
  end(reason: string): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const timer of this.#timers) clearInterval(timer);
    // A relay name never used means the RTMP server never saw this session: report it here.
    const unreported = this.#relayName !== '' && this.#options.names.revoke(this.#relayName);
    this.#options.logger.info({ sessionId: this.live.sessionId, reason }, 'WHIP publisher ended');
    this.fanout.end();
    void this.#pc.close().catch(() => {});
    this.#socket?.close();
    this.#ffmpeg?.kill('SIGTERM');
    if (this.#workDir) rmSync(this.#workDir, { recursive: true, force: true });
    this.#options.onEnd(this, !unreported);
  }

  async #negotiate(): Promise<string> {
    const pc = this.#pc;
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.onTrack.subscribe((track) => this.#onTrack(track));
    pc.connectionStateChange.subscribe((state) => {
      if (state === 'failed' || state === 'closed') this.end(`peer ${state}`);
    });
    const answer = await answerOffer(pc, this.#options.offer);
    const timer = setTimeout(() => {
      if (pc.connectionState !== 'connected') this.end('ICE did not connect');
    }, CONNECT_TIMEOUT_MS);
    this.#timers.push(timer);
    return answer;
  }

  async #startRelay(): Promise<void> {
    this.#ports = await freeRtpPorts();
    this.#socket = await bindUdp(0);
    this.#workDir = mkdtempSync(path.join(tmpdir(), 'vidra-whip-'));
    const sdpPath = path.join(this.#workDir, 'in.sdp');
    writeFileSync(sdpPath, whipRelaySdp(this.#ports));
    this.#relayName = this.#options.names.issue(this.live, () => {
      this.#published = true;
    });
    const child = spawnFfmpeg(
      this.#options.ffmpegPath,
      whipRelayArgs({ sdpPath, publishUrl: `${this.#options.rtmpUrl}/${RTMP_APP}/${this.#relayName}` }),
    );
    const stderr = tailStderr(child);
    this.#ffmpeg = child;
    child.once('error', (error) =>
      this.#options.logger.error({ err: error }, 'could not start the WHIP relay'),
    );
    child.once('close', (code, signal) => {
      if (!this.#ended)
        this.#options.logger.warn({ code, signal, stderr: stderr().slice(-500) }, 'WHIP relay stopped');
      this.end('relay stopped');
    });
  }

  #onTrack(track: MediaStreamTrack): void {
    const kind = track.kind === 'video' ? 'video' : 'audio';
    // Tracks come with the offer, before the relay's ports are known: read them per packet.
    const payloadType = kind === 'video' ? RTP_PAYLOAD.h264 : RTP_PAYLOAD.opus;
    if (kind === 'video') {
      const receiver = this.#pc.getTransceivers().find((t) => t.kind === 'video')?.receiver;
      const pli = () => {
        if (track.ssrc !== undefined) void receiver?.sendRtcpPLI(track.ssrc).catch(() => {});
      };
      this.#video = { track, pli };
      const nag = setInterval(() => (this.#published ? clearInterval(nag) : pli()), KEYFRAME_NAG_MS);
      this.#timers.push(nag);
    }
    track.onReceiveRtp.subscribe((rtp: RtpPacket) => {
      if (this.#ended) return;
      // Header extensions were negotiated with the publisher, not with FFmpeg or the viewers.
      rtp.header.extension = false;
      rtp.header.extensions = [];
      rtp.header.payloadType = payloadType;
      const packet = rtp.serialize();
      this.#socket?.send(packet, this.#ports[kind], '127.0.0.1');
      if (kind === 'video') this.fanout.video(packet);
      else this.fanout.audio(packet);
    });
    // No RTCP sender reports to FFmpeg: the first one re-bases its timestamps mid-stream (a jump
    // the live job's FFmpeg dies on); both tracks start together, which keeps them in sync.
  }
}
