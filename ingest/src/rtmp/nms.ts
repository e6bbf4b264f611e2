/**
 * The parts of node-media-server 4.x this node uses, typed. We drive its RTMP session and
 * broadcast classes ourselves instead of running `NodeMediaServer`: its publish hooks are
 * synchronous and fire after it has already answered `NetStream.Publish.Start`, so an async key
 * check there would let media flow first. Here the `publish` command is held until the origin
 * answers. `NodeMediaServer` would also start an HTTP server, open a JSON store under ./data and
 * exit the process on a busy port. The package is pinned to an exact version because these are
 * internals (see docs/adr/0009-ingest-rtmp.md).
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

/** One RTMP message decoded by node-media-server (audio, video or data). */
export interface NmsPacket {
  codec_type: number;
}

/** `Rtmp` in node-media-server/src/protocol/rtmp.js: the wire state machine of one connection. */
export interface NmsRtmpProtocol {
  streamApp: string;
  streamName: string;
  streamHost: string;
  streamId: number;
  parserPacket: { header: { stream_id: number } };
  onConnectCallback: (req: NmsConnectRequest) => void;
  onPlayCallback: () => void;
  onPushCallback: () => void;
  onOutputCallback: (buffer: Buffer) => void;
  onPacketCallback: (packet: NmsPacket) => void;
  onPublish(invokeMessage: NmsStreamCommand): void;
  onPlay(invokeMessage: NmsStreamCommand): void;
  respondPublish(): void;
  sendStatusMessage(streamId: number, level: string, code: string, description: string): void;
}

export interface NmsStreamCommand {
  streamName: string;
}

export interface NmsConnectRequest {
  app: string;
  name: string;
  host: string;
  query: Record<string, unknown>;
}

/** `RtmpSession`: one connection, publisher or player. */
export interface NmsRtmpSession {
  id: string;
  rtmp: NmsRtmpProtocol;
  isPublisher: boolean;
  streamPath: string;
  onConnect: (req: NmsConnectRequest) => void;
  onPlay: () => void;
  onPush: () => void;
  onOutput: (buffer: Buffer) => void;
  onPacket: (packet: NmsPacket) => void;
  onData: (data: Buffer) => void;
  onClose: () => void;
  onError: (error: Error) => void;
}

/** `BroadcastServer`: the publisher and players of one stream path. */
export interface NmsBroadcast {
  publisher: NmsRtmpSession | null;
  /** Internal: ends the publish now (skipping the reconnect grace) and drops its cached headers. */
  _finishPublish(): void;
}

interface NmsContext {
  broadcasts: Map<string, NmsBroadcast>;
}

const require = createRequire(import.meta.url);
const RtmpSession = require('node-media-server/src/session/rtmp_session.js') as new (
  socket: Socket,
) => NmsRtmpSession;
const context = require('node-media-server/src/core/context.js') as NmsContext;
const nmsLogger = require('node-media-server/src/core/logger.js') as { level: string };

/** node-media-server logs every connection to stdout at `debug`; keep it to errors unless debugging. */
export function setNmsLogLevel(level: 'debug' | 'info' | 'warn' | 'error'): void {
  nmsLogger.level = level;
}

/** A session for a fresh connection, not yet listening to its socket. */
export function createRtmpSession(socket: Socket): NmsRtmpSession {
  return new RtmpSession(socket);
}

/**
 * The live broadcast at a path. The registry is process-wide in node-media-server, so every
 * ingest server of a process shares it; only accepted publishes and their players register there.
 */
export function broadcastAt(streamPath: string): NmsBroadcast | undefined {
  return context.broadcasts.get(streamPath);
}
