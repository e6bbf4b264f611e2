import { z } from 'zod';

/**
 * Wire contracts of live streaming (issue 10) between the tiers:
 * - ingest -> origin (`/internal/v1/live/*`, with the internal token): is this key allowed to
 *   publish, where does the stream live, it stopped;
 * - origin -> live transcoder: the payload of a `live` job (where to pull the stream from);
 * - clients -> origin: the live API of a channel.
 * The key is checked before any media is accepted: ingest asks `authorize` from its publish hook
 * and drops the connection on anything but 200.
 */

/** How an encoder reaches ingest. */
export const INGEST_PROTOCOLS = ['rtmp', 'srt'] as const;
export const IngestProtocolSchema = z.enum(INGEST_PROTOCOLS);
export type IngestProtocol = z.infer<typeof IngestProtocolSchema>;

/** Which rungs a live stream gets: the source as sent, or the source plus transcoded rungs. */
export const LIVE_LADDERS = ['source', 'source+720p', 'source+720p+360p'] as const;
export const LiveLadderSchema = z.enum(LIVE_LADDERS);

export const LiveSettingsSchema = z
  .object({
    ladder: LiveLadderSchema.default('source'),
    record: z.boolean().default(true),
    /** How far back viewers may seek while live, in seconds (DVR window). */
    dvrWindowSeconds: z
      .number()
      .int()
      .min(30)
      .max(6 * 3600)
      .default(1800),
  })
  .meta({ id: 'LiveSettings' });
export type LiveSettings = z.infer<typeof LiveSettingsSchema>;

/** `POST /internal/v1/live/authorize`: ingest asks before accepting a publisher's media. */
export const LiveAuthorizeInputSchema = z.object({
  protocol: IngestProtocolSchema,
  /** RTMP: the stream key (last path segment). SRT: the channel's passphrase-bound port decides. */
  streamKey: z.string().min(1).max(200),
  /** Base URL the live transcoder pulls this stream from, e.g. `rtmp://ingest-1:1935/live`. */
  pullBaseUrl: z.string().min(1).max(500),
  /** Name of the ingest node, for operators and for "which node holds the session". */
  node: z.string().min(1).max(100),
});
export type LiveAuthorizeInput = z.infer<typeof LiveAuthorizeInputSchema>;

export const LiveAuthorizeResultSchema = z.object({
  sessionId: z.string().uuid(),
  channelId: z.string().uuid(),
  videoId: z.string().uuid(),
  /** True when a dropped encoder came back within the reconnect window: same session, same video. */
  resumed: z.boolean(),
  /** Path the stream is republished under on the ingest node (never the key itself). */
  streamName: z.string().min(1).max(100),
});
export type LiveAuthorizeResult = z.infer<typeof LiveAuthorizeResultSchema>;

/** `POST /internal/v1/live/sessions/:id/disconnected`: the publisher went away (may come back). */
export const LiveDisconnectedInputSchema = z.object({ node: z.string().min(1).max(100) });

/** What a `live` job carries to the live transcoder. */
export const LiveJobPayloadSchema = z.object({
  sessionId: z.string().uuid(),
  /** Full URL to pull the stream from its ingest node. */
  sourceUrl: z.string().min(1).max(600),
  ladder: LiveLadderSchema,
});
export type LiveJobPayload = z.infer<typeof LiveJobPayloadSchema>;

/** States of a channel's live endpoint as the API shows them. */
export const LIVE_STATES = ['idle', 'live'] as const;
