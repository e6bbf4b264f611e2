import { hostname } from 'node:os';
import { z } from 'zod';
import { parseEnvOrThrow } from '../../protocol/env.js';
import { parseIceServers } from '../../protocol/webrtc.js';

/** 0 picks a free port (tests, `npm start`). */
const port = z.coerce.number().int().min(0).max(65_535);

/** Every variable the ingest node reads. The only module that reads `process.env`. */
export const IngestEnvSchema = z.object({
  ORIGIN_URL: z.string().url().default('http://127.0.0.1:8080'),
  INTERNAL_API_TOKEN: z.string().min(1, "set it to the origin's INTERNAL_API_TOKEN"),
  /** Address the RTMP listener binds. Loopback by default: expose it on purpose. */
  INGEST_HOST: z.string().min(1).default('127.0.0.1'),
  INGEST_RTMP_PORT: port.default(1935),
  /**
   * Host the live transcoder reaches this node at; it goes into `pullBaseUrl`
   * (`rtmp://<INGEST_PUBLIC_HOST>:<INGEST_RTMP_PORT>/live`). Defaults to INGEST_HOST.
   */
  INGEST_PUBLIC_HOST: z.string().min(1).optional(),
  /** This node's name, reported to the origin ("which node holds the session"). */
  INGEST_NODE_NAME: z.string().min(1).max(100).default(`ingest-${hostname()}`),
  /** How long the origin may take to answer `authorize`; no answer in time means refusal. */
  INGEST_AUTHORIZE_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3000),
  /** SRT listeners (one FFmpeg per channel port): `auto` runs them when FFmpeg has SRT. */
  INGEST_SRT: z.enum(['auto', 'on', 'off']).default('auto'),
  /** Address the SRT listeners bind. Defaults to INGEST_HOST. */
  INGEST_SRT_HOST: z.string().min(1).optional(),
  /** SRT receive latency (libsrt's default): what the link may take to retransmit a lost packet. */
  INGEST_SRT_LATENCY_MS: z.coerce.number().int().min(20).max(8000).default(120),
  /** How often the origin's SRT listener list is re-read (new channels, rotated passphrases). */
  INGEST_SRT_POLL_MS: z.coerce.number().int().min(200).max(600_000).default(10_000),
  /** WHIP ingest and WHEP playback (docs/deploy/webrtc.md). */
  INGEST_WEBRTC: z.enum(['on', 'off']).default('on'),
  /** Address and port of the WHIP/WHEP signalling (HTTP); the edge forwards to it. */
  INGEST_WEBRTC_HOST: z.string().min(1).optional(),
  INGEST_WEBRTC_PORT: port.default(8889),
  /** UDP ports ICE binds, `first-last` (open them in the firewall); unset: any free port. */
  INGEST_WEBRTC_UDP_PORTS: z
    .string()
    .regex(/^\d+-\d+$/, 'must be first-last, e.g. 20000-20999')
    .transform((raw) => raw.split('-').map(Number) as [number, number])
    .refine(([first, last]) => first > 0 && last <= 65_535 && first < last, 'first must be below last')
    .optional(),
  /** Extra host candidates (comma-separated addresses: a public IP behind 1:1 NAT, or 127.0.0.1). */
  INGEST_WEBRTC_ADDRESSES: z
    .string()
    .default('')
    .transform((raw) =>
      raw
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    ),
  /** ICE servers (JSON array of { urls, username?, credential? }): STUN to learn a public address, TURN to relay. */
  WEBRTC_ICE_SERVERS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      try {
        return parseIceServers(raw);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /**
   * How often the origin's playback revocations are read: a WHEP viewer of a video made private,
   * deleted, or whose owner was suspended is cut within this (plus one origin round trip).
   */
  INGEST_REVOCATION_POLL_MS: z.coerce.number().int().min(200).max(60_000).default(5_000),
  /** x264 preset of the RTMP -> WHEP packetiser (one encode per stream with WHEP viewers). */
  INGEST_WEBRTC_X264_PRESET: z
    .string()
    .regex(/^[a-z]+$/)
    .default('veryfast'),
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type IngestEnv = z.infer<typeof IngestEnvSchema>;

/** Parse the environment once at start-up; a bad value stops the process with every problem listed. */
export function parseIngestEnv(source: Record<string, string | undefined> = process.env): IngestEnv {
  return parseEnvOrThrow(IngestEnvSchema, source);
}
