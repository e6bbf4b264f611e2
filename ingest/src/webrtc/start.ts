import { serve } from '@hono/node-server';
import type { Logger } from 'pino';
import { WHIP_PATH } from '../../../protocol/webrtc.js';
import type { IngestEnv } from '../env.js';
import type { IngestOriginClient } from '../origin-client.js';
import type { RtmpIngestServer } from '../rtmp/rtmp-server.js';
import type { WhipRelayNames } from './relay-names.js';
import { RevocationWatch } from './revocation-watch.js';
import { createSignallingApp } from './server.js';
import { WebRtcIngest } from './webrtc-ingest.js';

export interface RunningWebRtc {
  /** The signalling base URL, e.g. `http://127.0.0.1:8889` (the edge forwards here). */
  url: string;
  /** Where WHIP encoders post, on this node. */
  whipUrl: string;
  ingest: WebRtcIngest;
  close(): Promise<void>;
}

/** Start WHIP/WHEP signalling next to the RTMP server it relays into. */
export async function startWebRtc(input: {
  env: IngestEnv;
  rtmp: RtmpIngestServer;
  rtmpPort: number;
  names: WhipRelayNames;
  origin: IngestOriginClient;
  logger: Logger;
}): Promise<RunningWebRtc> {
  const { env, rtmp, logger } = input;
  const wildcard = ['0.0.0.0', '::', '[::]'].includes(env.INGEST_HOST);
  const rtmpHost = wildcard ? '127.0.0.1' : env.INGEST_HOST;
  const ingest = new WebRtcIngest({
    node: env.INGEST_NODE_NAME,
    rtmpUrl: `rtmp://${rtmpHost.includes(':') ? `[${rtmpHost}]` : rtmpHost}:${input.rtmpPort}`,
    pullBaseUrl: () => rtmp.pullBaseUrl,
    streamNameOf: (videoId) => rtmp.streamNameOf(videoId),
    names: input.names,
    origin: input.origin,
    peer: {
      iceServers: env.WEBRTC_ICE_SERVERS,
      hostAddresses: env.INGEST_WEBRTC_ADDRESSES,
      ...(env.INGEST_WEBRTC_UDP_PORTS ? { portRange: env.INGEST_WEBRTC_UDP_PORTS } : {}),
    },
    ffmpegPath: env.FFMPEG_PATH,
    preset: env.INGEST_WEBRTC_X264_PRESET,
    logger,
  });
  const watch = new RevocationWatch({
    feed: (after) => input.origin.revocations(after),
    intervalMs: env.INGEST_REVOCATION_POLL_MS,
    onRevoked: (videoIds) => ingest.revoke(videoIds),
    logger,
  });
  watch.start();
  const app = createSignallingApp({
    ingest,
    internalToken: env.INTERNAL_API_TOKEN,
    iceServers: env.WEBRTC_ICE_SERVERS,
    logger,
  });
  const host = env.INGEST_WEBRTC_HOST ?? env.INGEST_HOST;
  const server = serve({ fetch: app.fetch, hostname: host, port: env.INGEST_WEBRTC_PORT });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.INGEST_WEBRTC_PORT;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    whipUrl: `${url}${WHIP_PATH}`,
    ingest,
    close: async () => {
      watch.stop();
      ingest.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
