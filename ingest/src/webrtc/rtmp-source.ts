import type { Socket } from 'node:dgram';
import type { Logger } from 'pino';
import { RtpFanout } from './fanout.js';
import { whepSourceArgs } from './ffmpeg-args.js';
import { freeRtpPorts, receiveRtp } from './rtp-udp.js';
import { spawnFfmpeg, tailStderr } from './spawn.js';

/** With no viewer left, the FFmpeg keeps running this long, for the next one to start at once. */
const IDLE_STOP_MS = 10_000;

/**
 * WHEP for a stream that came over RTMP or SRT: one FFmpeg per stream pulls it from this node's
 * RTMP server and sends H.264 (no B-frames) + Opus as RTP to loopback ports, whose packets are
 * fanned out to every viewer. Started by the first viewer, stopped a while after the last.
 */
export class RtmpWhepSource {
  readonly fanout = new RtpFanout();
  readonly #sockets: Socket[] = [];
  #ffmpeg?: ReturnType<typeof spawnFfmpeg>;
  #idle?: NodeJS.Timeout;
  #ended = false;

  private constructor(
    readonly streamName: string,
    readonly onEnd: (source: RtmpWhepSource) => void,
  ) {
    this.fanout.onEmpty = () => {
      clearTimeout(this.#idle);
      this.#idle = setTimeout(() => this.fanout.viewers === 0 && this.end(), IDLE_STOP_MS);
    };
  }

  static async start(input: {
    streamName: string;
    pullUrl: string;
    ffmpegPath: string;
    preset: string;
    logger: Logger;
    onEnd: (source: RtmpWhepSource) => void;
  }): Promise<RtmpWhepSource> {
    const source = new RtmpWhepSource(input.streamName, input.onEnd);
    const ports = await freeRtpPorts();
    source.#sockets.push(
      await receiveRtp(ports.video, (packet) => source.#forward('video', packet.serialize())),
      await receiveRtp(ports.audio, (packet) => source.#forward('audio', packet.serialize())),
    );
    const child = spawnFfmpeg(
      input.ffmpegPath,
      whepSourceArgs({ pullUrl: input.pullUrl, ports, preset: input.preset }),
    );
    const stderr = tailStderr(child);
    source.#ffmpeg = child;
    child.once('error', (error) => input.logger.error({ err: error }, 'could not start the WHEP packetiser'));
    child.once('close', (code, signal) => {
      if (!source.#ended)
        input.logger.info({ code, signal, stderr: stderr().slice(-500) }, 'WHEP packetiser stopped');
      source.end();
    });
    return source;
  }

  #forward(kind: 'video' | 'audio', packet: Buffer): void {
    if (this.fanout.viewers === 0) return;
    if (kind === 'video') this.fanout.video(packet);
    else this.fanout.audio(packet);
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#idle);
    this.fanout.end();
    for (const socket of this.#sockets) socket.close();
    this.#ffmpeg?.kill('SIGTERM');
    this.onEnd(this);
  }
}
