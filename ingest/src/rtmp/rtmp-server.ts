import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { LiveAuthorizeResult } from '../../../protocol/live.js';
import type { IngestOriginClient } from '../origin-client.js';
import type { SrtRelayNames } from '../srt/relay-names.js';
import {
  isRepublishableName,
  playNameFromRequest,
  RTMP_APP,
  rtmpPullBaseUrl,
  streamKeyFromPublish,
} from '../stream-path.js';
import type { WhipRelayNames } from '../webrtc/relay-names.js';
import {
  broadcastAt,
  createRtmpSession,
  type NmsPacket,
  type NmsRtmpSession,
  type NmsStreamCommand,
} from './nms.js';

/** Media that arrives while the key is being checked is held, never broadcast; past this, drop. */
const MAX_HELD_PACKETS = 2000;
/** A connection that neither sends nor receives for this long is dropped (half-open encoders). */
const IDLE_TIMEOUT_MS = 30_000;
/** How long a replaced publisher gets to go before the new one takes its name anyway. */
const REPLACE_WAIT_MS = 2000;

type ConnectionState = 'connected' | 'authorizing' | 'publishing' | 'playing' | 'refused' | 'closed';

/** Our own view of one RTMP connection: node-media-server's flags do not say "refused". */
interface Connection {
  readonly socket: Socket;
  readonly session: NmsRtmpSession;
  state: ConnectionState;
  held: NmsPacket[];
  live?: LiveAuthorizeResult;
  /** A newer publisher of the same channel took over: the origin knows, report no disconnect. */
  replaced: boolean;
  /** The stream name a `playing` connection pulls. */
  playName?: string;
  closed: Promise<void>;
}

export interface RtmpIngestOptions {
  host: string;
  port: number;
  /** Host the live transcoder reaches this node at; `pullBaseUrl` is built from it and the bound port. */
  publicHost: string;
  node: string;
  origin: Pick<IngestOriginClient, 'authorize' | 'disconnected'>;
  logger: Logger;
  /** One-time names of this node's SRT relays: a publish under one is authorized as SRT. */
  srtRelays?: Pick<SrtRelayNames, 'take'>;
  /** One-time names of this node's WHIP relays: their session was authorized with the offer. */
  whipRelays?: Pick<WhipRelayNames, 'take'>;
}

/**
 * RTMP ingest. A publish to `/live/<key>` is held (no `NetStream.Publish.Start`, media kept
 * aside) until the origin authorizes the key; then the stream is republished under the origin's
 * `streamName`, which is the only name players (the live transcoder) can pull. Anything but a 200
 * answers the encoder with an error status and closes the connection.
 */
export class RtmpIngestServer {
  readonly #options: RtmpIngestOptions;
  readonly #server: Server;
  readonly #connections = new Set<Connection>();
  /** The accepted publisher of each channel: a newer one replaces it. */
  readonly #publishers = new Map<string, Connection>();
  readonly #pending = new Set<Promise<unknown>>();
  #pullBaseUrl = '';

  constructor(options: RtmpIngestOptions) {
    this.#options = options;
    this.#server = createServer((socket) => this.#accept(socket));
  }

  /** Sent in `authorize`: the live transcoder pulls `<pullBaseUrl>/<streamName>`. Set by `listen`. */
  get pullBaseUrl(): string {
    return this.#pullBaseUrl;
  }

  /** Listen; resolves with the bound port (useful with port 0). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#options.port, this.#options.host, () => {
        this.#server.off('error', reject);
        this.#server.on('error', (error) => this.#options.logger.error({ err: error }, 'rtmp server error'));
        const address = this.#server.address();
        const port = typeof address === 'object' && address ? address.port : this.#options.port;
        this.#pullBaseUrl = rtmpPullBaseUrl(this.#options.publicHost, port);
        resolve(port);
      });
    });
  }

  /** The stream name a live video is republished under here, while its publisher is on. */
  streamNameOf(videoId: string): string | undefined {
    for (const connection of this.#publishers.values())
      if (connection.live?.videoId === videoId && connection.state === 'publishing')
        return connection.live.streamName;
    return undefined;
  }

  /** Stop listening, drop every connection and wait for the disconnect reports to go out. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const connection of this.#connections) connection.socket.destroy();
    await Promise.all([closed, ...[...this.#connections].map((c) => c.closed)]);
    await Promise.allSettled([...this.#pending]);
  }

  #accept(socket: Socket): void {
    const session = createRtmpSession(socket);
    const connection: Connection = {
      socket,
      session,
      state: 'connected',
      held: [],
      replaced: false,
      closed: new Promise((resolve) => socket.once('close', () => resolve())),
    };
    this.#connections.add(connection);
    const { rtmp } = session;
    // What RtmpSession.run() wires, except publish and play, which go through the origin first.
    rtmp.onConnectCallback = session.onConnect;
    rtmp.onPlayCallback = session.onPlay;
    rtmp.onPushCallback = session.onPush;
    rtmp.onOutputCallback = session.onOutput;
    rtmp.onPacketCallback = (packet) => this.#onPacket(connection, packet);
    rtmp.onPublish = (command) => this.#track(this.#onPublish(connection, command));
    rtmp.onPlay = (command) => this.#onPlay(connection, command);
    socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy());
    socket.on('data', (data) => this.#guard(connection, () => session.onData(data)));
    socket.on('error', (error) => this.#options.logger.debug({ err: error }, 'rtmp socket error'));
    socket.on('close', () => this.#guard(connection, () => this.#onClose(connection)));
  }

  /** A bad stream must not take the process down: log, drop that one connection. */
  #guard(connection: Connection, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'rtmp connection failed; dropping it');
      connection.socket.destroy();
    }
  }

  #track(work: Promise<unknown>): void {
    const tracked = work.catch((error) => this.#options.logger.error({ err: error }, 'rtmp handler failed'));
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  #onPacket(connection: Connection, packet: NmsPacket): void {
    if (connection.state === 'publishing') {
      connection.session.onPacket(packet);
    } else if (connection.state === 'authorizing' && connection.held.length < MAX_HELD_PACKETS) {
      connection.held.push(packet);
    } else {
      // Media from a player, before a publish was asked, after a refusal, or too much while waiting.
      connection.socket.destroy();
    }
  }

  async #onPublish(connection: Connection, command: NmsStreamCommand): Promise<void> {
    const { rtmp } = connection.session;
    // The stream id of the publish command; the parser moves on to other packets while we wait.
    const streamId = rtmp.parserPacket.header.stream_id;
    const log = this.#options.logger;
    if (connection.state !== 'connected')
      return this.#refuse(connection, streamId, 'one publish per connection');
    const key = streamKeyFromPublish(rtmp.streamApp, command.streamName);
    if (!key) return this.#refuse(connection, streamId, 'not a stream key');
    connection.state = 'authorizing';
    // Nothing more is read until the origin answers: at most what was already in this chunk is held.
    connection.socket.pause();
    const whip = this.#options.whipRelays?.take(key);
    const srtPassphrase = whip ? undefined : this.#options.srtRelays?.take(key);
    const protocol = whip ? 'whip' : srtPassphrase ? 'srt' : 'rtmp';
    const outcome = whip
      ? ({ ok: true, result: whip } as const)
      : await this.#options.origin.authorize({
          protocol,
          streamKey: srtPassphrase ?? key,
          pullBaseUrl: this.#pullBaseUrl,
          node: this.#options.node,
        });
    if (!outcome.ok) {
      log.info({ protocol, reason: outcome.reason, status: outcome.status }, 'publish refused');
      return this.#refuse(connection, streamId, 'publishing refused');
    }
    const live = outcome.result;
    if (connection.state !== 'authorizing') {
      // The encoder left while we asked: the origin opened a session nobody feeds.
      log.info({ sessionId: live.sessionId }, 'publisher left during authorize');
      return this.#reportDisconnected(live);
    }
    if (!isRepublishableName(live.streamName)) {
      log.error({ streamName: live.streamName }, 'origin sent a stream name that cannot be served');
      return this.#refuse(connection, streamId, 'publishing refused');
    }
    await this.#replaceOlderPublisher(connection, live);
    if (connection.state !== 'authorizing') return this.#reportDisconnected(live);

    rtmp.streamId = streamId;
    rtmp.streamName = live.streamName;
    rtmp.respondPublish();
    connection.session.onConnect({ app: RTMP_APP, name: live.streamName, host: rtmp.streamHost, query: {} });
    connection.session.onPush();
    if (!connection.session.isPublisher) {
      log.error({ streamName: live.streamName }, 'stream name already has a publisher here');
      connection.state = 'refused';
      connection.socket.destroy();
      return this.#reportDisconnected(live);
    }
    connection.state = 'publishing';
    connection.live = live;
    this.#publishers.set(live.channelId, connection);
    log.info(
      {
        sessionId: live.sessionId,
        channelId: live.channelId,
        streamName: live.streamName,
        resumed: live.resumed,
        protocol,
      },
      'publish accepted',
    );
    const held = connection.held;
    connection.held = [];
    this.#guard(connection, () => {
      for (const packet of held) connection.session.onPacket(packet);
    });
    connection.socket.resume();
  }

  /** One publisher per channel here: the newest valid one wins, the older connection is closed. */
  async #replaceOlderPublisher(connection: Connection, live: LiveAuthorizeResult): Promise<void> {
    const older = this.#publishers.get(live.channelId);
    if (!older || older === connection) return;
    this.#options.logger.info({ channelId: live.channelId }, 'newer publisher replaces the current one');
    older.replaced = true;
    this.#publishers.delete(live.channelId);
    older.socket.destroy();
    // Its broadcast frees the name only once its socket has closed.
    await Promise.race([older.closed, new Promise((resolve) => setTimeout(resolve, REPLACE_WAIT_MS))]);
  }

  #refuse(connection: Connection, streamId: number, description: string): void {
    connection.state = 'refused';
    connection.held = [];
    if (connection.socket.destroyed) return;
    // An error status makes encoders fail the publish at once instead of retrying into a void.
    connection.session.rtmp.sendStatusMessage(streamId, 'error', 'NetStream.Publish.BadName', description);
    connection.socket.end();
    setTimeout(() => connection.socket.destroy(), 1000).unref();
  }

  /** Only an accepted stream name with a publisher plays. */
  #onPlay(connection: Connection, command: NmsStreamCommand): void {
    const { rtmp } = connection.session;
    const name = playNameFromRequest(rtmp.streamApp, command.streamName);
    const broadcast = name ? broadcastAt(`/${RTMP_APP}/${name}`) : undefined;
    if (connection.state !== 'connected' || !broadcast?.publisher) {
      connection.state = 'refused';
      const streamId = rtmp.parserPacket.header.stream_id;
      rtmp.sendStatusMessage(streamId, 'error', 'NetStream.Play.StreamNotFound', 'no such stream');
      connection.socket.end();
      setTimeout(() => connection.socket.destroy(), 1000).unref();
      return;
    }
    connection.state = 'playing';
    connection.playName = name;
    Object.getPrototypeOf(rtmp).onPlay.call(rtmp, command);
  }

  #onClose(connection: Connection): void {
    const wasState = connection.state;
    connection.state = 'closed';
    connection.held = [];
    this.#connections.delete(connection);
    connection.session.onClose();
    const live = connection.live;
    if (wasState !== 'publishing' || !live) return;
    this.#endPublish(live.streamName);
    if (connection.replaced) return;
    if (this.#publishers.get(live.channelId) === connection) this.#publishers.delete(live.channelId);
    this.#options.logger.info({ sessionId: live.sessionId }, 'rtmp publisher disconnected');
    this.#reportDisconnected(live);
  }

  /**
   * A publisher left (or was replaced): end its broadcast at once and drop its players. Without
   * this, node-media-server keeps players attached through a 30 s grace and splices the next
   * publisher's media onto the old timeline, under the old codec headers. Dropped, the live
   * transcoder pulls again when the encoder is back: a new FFmpeg run, so a new init when the
   * encoder's settings changed, and `EXT-X-DISCONTINUITY` at the seam.
   */
  #endPublish(streamName: string): void {
    broadcastAt(`/${RTMP_APP}/${streamName}`)?._finishPublish();
    for (const other of this.#connections) {
      if (other.state === 'playing' && other.playName === streamName) other.socket.destroy();
    }
  }

  /** Report that this publisher of the session went away (its number lets the origin ignore a superseded one). */
  #reportDisconnected(live: LiveAuthorizeResult): void {
    const { sessionId, publisher } = live;
    this.#track(
      this.#options.origin.disconnected(sessionId, this.#options.node, publisher).catch((error) => {
        this.#options.logger.warn({ err: error, sessionId }, 'could not report the disconnect to the origin');
      }),
    );
  }
}
