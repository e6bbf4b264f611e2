/**
 * Ingest node: encoders publish RTMP here; each key is checked with the origin before any media
 * is accepted, and an accepted stream is republished for the live transcoder to pull.
 */
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { nodeVersionProblem } from '../../protocol/runtime.js';
import { type IngestEnv, parseIngestEnv } from './env.js';
import { IngestOriginClient } from './origin-client.js';
import { setNmsLogLevel } from './rtmp/nms.js';
import { RtmpIngestServer } from './rtmp/rtmp-server.js';
import { SrtRelayNames } from './srt/relay-names.js';
import { SrtIngest } from './srt/srt-ingest.js';
import { rtmpPullBaseUrl } from './stream-path.js';
import { WhipRelayNames } from './webrtc/relay-names.js';
import { type RunningWebRtc, startWebRtc } from './webrtc/start.js';

export interface RunningIngest {
  /** The bound RTMP port (differs from INGEST_RTMP_PORT when that is 0). */
  rtmpPort: number;
  /** What encoders publish to, followed by `/<streamKey>`. */
  rtmpUrl: string;
  /** What `authorize` reports as `pullBaseUrl`. */
  pullBaseUrl: string;
  /** The SRT listeners, when they run (INGEST_SRT, and FFmpeg with SRT). */
  srt?: SrtIngest;
  /** WHIP/WHEP signalling, unless INGEST_WEBRTC=off. */
  webrtc?: RunningWebRtc;
  close(): Promise<void>;
}

/** Start the RTMP and SRT listeners; `npm start` runs this in-process, `npm run ingest` on its own. */
export async function startIngest(env: IngestEnv, logger?: Logger): Promise<RunningIngest> {
  const log =
    logger ?? pino({ level: env.LOG_LEVEL, base: { service: 'ingest', node: env.INGEST_NODE_NAME } });
  setNmsLogLevel(env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace' ? 'debug' : 'error');
  const origin = new IngestOriginClient({
    baseUrl: env.ORIGIN_URL,
    internalToken: env.INTERNAL_API_TOKEN,
    timeoutMs: env.INGEST_AUTHORIZE_TIMEOUT_MS,
  });
  const publicHost = env.INGEST_PUBLIC_HOST ?? env.INGEST_HOST;
  const srtRelays = new SrtRelayNames();
  const whipRelays = new WhipRelayNames();
  const rtmp = new RtmpIngestServer({
    srtRelays,
    whipRelays,
    host: env.INGEST_HOST,
    port: env.INGEST_RTMP_PORT,
    publicHost,
    node: env.INGEST_NODE_NAME,
    origin,
    logger: log,
  });
  const rtmpPort = await rtmp.listen();
  const srt = startSrt(env, rtmpPort, origin, srtRelays, log);
  await srt?.start();
  const webrtc =
    env.INGEST_WEBRTC === 'on'
      ? await startWebRtc({ env, rtmp, rtmpPort, names: whipRelays, origin, logger: log })
      : undefined;
  const running: RunningIngest = {
    rtmpPort,
    rtmpUrl: rtmpPullBaseUrl(publicHost, rtmpPort),
    pullBaseUrl: rtmp.pullBaseUrl,
    ...(srt ? { srt } : {}),
    ...(webrtc ? { webrtc } : {}),
    close: async () => {
      await webrtc?.close();
      await srt?.close();
      await rtmp.close();
    },
  };
  log.info(
    {
      rtmpUrl: running.rtmpUrl,
      srt: srt ? srt.ports : 'off',
      whip: webrtc?.whipUrl ?? 'off',
      origin: env.ORIGIN_URL,
    },
    'ingest ready',
  );
  return running;
}

function startSrt(
  env: IngestEnv,
  rtmpPort: number,
  origin: IngestOriginClient,
  names: SrtRelayNames,
  log: Logger,
): SrtIngest | undefined {
  if (env.INGEST_SRT === 'off') return undefined;
  if (!SrtIngest.available(env.FFMPEG_PATH)) {
    if (env.INGEST_SRT === 'on') throw new Error(`INGEST_SRT=on, but ${env.FFMPEG_PATH} has no SRT protocol`);
    log.warn({ ffmpeg: env.FFMPEG_PATH }, 'FFmpeg has no SRT here: SRT ingest is off');
    return undefined;
  }
  // The relays publish to the RTMP server over loopback unless it binds one address only.
  const wildcard = ['0.0.0.0', '::', '[::]'].includes(env.INGEST_HOST);
  return new SrtIngest({
    host: env.INGEST_SRT_HOST ?? env.INGEST_HOST,
    rtmpHost: wildcard ? '127.0.0.1' : env.INGEST_HOST,
    rtmpPort,
    latencyMs: env.INGEST_SRT_LATENCY_MS,
    pollMs: env.INGEST_SRT_POLL_MS,
    ffmpegPath: env.FFMPEG_PATH,
    origin,
    names,
    logger: log,
  });
}

const isEntryPoint =
  process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href;
if (isEntryPoint) {
  const problem = nodeVersionProblem(process.versions.node, 'ingest');
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  let env: IngestEnv;
  try {
    env = parseIngestEnv();
  } catch (error) {
    // A bad environment is the operator's to fix: print what is wrong, not a stack trace.
    console.error((error as Error).message);
    process.exit(1);
  }
  const ingest = await startIngest(env);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void ingest.close().then(() => process.exit(0)));
  }
}
