import type { Logger } from 'pino';
import type { IngestOriginClient } from '../origin-client.js';
import type { PeerOptions } from './peer.js';
import type { WhipRelayNames } from './relay-names.js';
import { RtmpWhepSource } from './rtmp-source.js';
import { WhepViewer } from './whep-viewer.js';
import { WhipPublisher } from './whip-publisher.js';

export interface WebRtcIngestOptions {
  node: string;
  /** `rtmp://<loopback>:<port>`: where relays publish and packetisers pull. */
  rtmpUrl: string;
  /** `authorize`'s pullBaseUrl (the RTMP server's). */
  pullBaseUrl: () => string;
  /** The accepted RTMP/SRT stream of a video on this node, if any. */
  streamNameOf: (videoId: string) => string | undefined;
  names: WhipRelayNames;
  origin: Pick<IngestOriginClient, 'authorize' | 'disconnected'>;
  peer: PeerOptions;
  ffmpegPath: string;
  /** x264 preset of the RTMP -> WHEP packetiser. */
  preset: string;
  logger: Logger;
}

export type PublishOutcome =
  | { ok: true; id: string; answer: string }
  | { ok: false; status: 401 | 503; message: string };

/**
 * This node's WHIP publishers and WHEP viewers. Transport-free: `server.ts` maps HTTP to it.
 * A WHIP key is authorized before any peer connection exists; a WHEP viewer is attached to the
 * publisher's RTP when the video came over WHIP, else to an FFmpeg packetiser of its RTMP stream.
 */
export class WebRtcIngest {
  readonly #options: WebRtcIngestOptions;
  readonly #publishers = new Map<string, WhipPublisher>();
  readonly #viewers = new Map<string, WhepViewer>();
  readonly #rtmpSources = new Map<string, Promise<RtmpWhepSource>>();

  constructor(options: WebRtcIngestOptions) {
    this.#options = options;
  }

  get viewerCount(): number {
    return this.#viewers.size;
  }

  async publish(streamKey: string, offer: string): Promise<PublishOutcome> {
    const { origin, node, logger } = this.#options;
    const outcome = await origin.authorize({
      protocol: 'whip',
      streamKey,
      pullBaseUrl: this.#options.pullBaseUrl(),
      node,
    });
    if (!outcome.ok) {
      logger.info({ reason: outcome.reason, status: outcome.status }, 'WHIP publish refused');
      return outcome.reason === 'refused'
        ? { ok: false, status: 401, message: 'The stream key is not valid' }
        : { ok: false, status: 503, message: 'Could not check the stream key; try again' };
    }
    const live = outcome.result;
    for (const older of this.#publishers.values())
      if (older.live.channelId === live.channelId) older.end('replaced by a newer publisher');
    const { publisher, answer } = await WhipPublisher.start({
      offer,
      live,
      names: this.#options.names,
      rtmpUrl: this.#options.rtmpUrl,
      ffmpegPath: this.#options.ffmpegPath,
      peer: this.#options.peer,
      logger,
      onEnd: (ended, reported) => {
        if (this.#publishers.get(ended.id) === ended) this.#publishers.delete(ended.id);
        if (!reported) void origin.disconnected(live.sessionId, node, live.publisher).catch(() => {});
      },
    });
    this.#publishers.set(publisher.id, publisher);
    logger.info({ sessionId: live.sessionId, resumed: live.resumed }, 'WHIP publisher accepted');
    return { ok: true, id: publisher.id, answer };
  }

  async addPublisherCandidates(id: string, candidates: string[]): Promise<boolean> {
    const publisher = this.#publishers.get(id);
    if (!publisher) return false;
    await publisher.addCandidates(candidates);
    return true;
  }

  stopPublisher(id: string): boolean {
    const publisher = this.#publishers.get(id);
    publisher?.end('DELETE from the publisher');
    return Boolean(publisher);
  }

  /** A WHEP viewer of `videoId`; undefined when this node has no live stream of it. */
  async play(videoId: string, offer: string): Promise<{ id: string; answer: string } | undefined> {
    const fanout = await this.#fanoutOf(videoId);
    if (!fanout) return undefined;
    const { viewer, answer } = await WhepViewer.start({
      videoId,
      offer,
      fanout,
      peer: this.#options.peer,
      onEnd: (ended) => this.#viewers.delete(ended.id),
    });
    this.#viewers.set(viewer.id, viewer);
    return { id: viewer.id, answer };
  }

  async addViewerCandidates(id: string, candidates: string[]): Promise<boolean> {
    const viewer = this.#viewers.get(id);
    if (!viewer) return false;
    await viewer.addCandidates(candidates);
    return true;
  }

  stopViewer(id: string): boolean {
    const viewer = this.#viewers.get(id);
    viewer?.end();
    return Boolean(viewer);
  }

  /** Playback of these videos was revoked: every WHEP viewer of them is cut (they may ask again). */
  revoke(videoIds: ReadonlySet<string>): number {
    let cut = 0;
    for (const viewer of [...this.#viewers.values()]) {
      if (!videoIds.has(viewer.videoId)) continue;
      viewer.end();
      cut += 1;
    }
    if (cut > 0)
      this.#options.logger.info({ videos: [...videoIds], viewers: cut }, 'WHEP viewers cut: revoked');
    return cut;
  }

  close(): void {
    for (const viewer of [...this.#viewers.values()]) viewer.end();
    for (const publisher of [...this.#publishers.values()]) publisher.end('ingest stopping');
    for (const source of this.#rtmpSources.values()) void source.then((s) => s.end()).catch(() => {});
  }

  async #fanoutOf(videoId: string) {
    for (const publisher of this.#publishers.values())
      if (publisher.live.videoId === videoId) return publisher.fanout;
    const streamName = this.#options.streamNameOf(videoId);
    if (!streamName) return undefined;
    let source = this.#rtmpSources.get(streamName);
    if (!source) {
      source = RtmpWhepSource.start({
        streamName,
        pullUrl: `${this.#options.rtmpUrl}/live/${streamName}`,
        ffmpegPath: this.#options.ffmpegPath,
        preset: this.#options.preset,
        logger: this.#options.logger,
        onEnd: (ended) => {
          if (this.#rtmpSources.get(ended.streamName) === source) this.#rtmpSources.delete(ended.streamName);
        },
      });
      this.#rtmpSources.set(streamName, source);
      source.catch(() => this.#rtmpSources.delete(streamName));
    }
    return (await source).fanout;
  }
}
