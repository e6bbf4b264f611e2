import { z } from 'zod';
import { LIVE_LADDERS, LIVE_STATES } from './live-enums.js';

export { LIVE_LADDERS, LIVE_STATES };

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
/** `whip`: WebRTC (RFC 9725), with the RTMP stream key as its Bearer token. */
export const INGEST_PROTOCOLS = ['rtmp', 'srt', 'whip'] as const;
export const IngestProtocolSchema = z.enum(INGEST_PROTOCOLS);
export type IngestProtocol = z.infer<typeof IngestProtocolSchema>;

/** Which rungs a live stream gets (`LIVE_LADDERS`): the source as sent, or plus transcoded rungs. */
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
  /**
   * RTMP: the stream key (last path segment). SRT: the passphrase of the listener's port (from
   * `srt-listeners`); the listener has already checked it at the handshake.
   */
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
  /**
   * Which publisher of the session this is, counting from 1; every authorize of the session
   * (a takeover by a newer publisher, a reconnect) gets the next number. Ingest sends it back with
   * `disconnected`, so a superseded publisher going away does not start the reconnect window.
   */
  publisher: z.number().int().min(1),
});
export type LiveAuthorizeResult = z.infer<typeof LiveAuthorizeResultSchema>;

/** `POST /internal/v1/live/sessions/:id/disconnected`: the publisher went away (may come back). */
export const LiveDisconnectedInputSchema = z.object({
  node: z.string().min(1).max(100),
  /** `LiveAuthorizeResult.publisher` of the connection that went away; without it, any. */
  publisher: z.number().int().min(1).optional(),
});
export type LiveDisconnectedInput = z.infer<typeof LiveDisconnectedInputSchema>;

/** What `disconnected` answers: whether it started the reconnect window or was a stale report. */
export const LiveDisconnectedResultSchema = z.object({
  outcome: z.enum(['reconnect_window', 'superseded', 'ended']),
  /** When the session ends unless a publisher comes back; set with `reconnect_window`. */
  endsAt: z.string().datetime().optional(),
});

/**
 * `GET /internal/v1/live/srt-listeners`: the SRT listeners ingest runs, one per channel with a
 * key. An SRT listener must hold its passphrase in plaintext, so ingest gets it here (the origin
 * derives it; the database has only its hash). Ingest re-reads this after a refused passphrase
 * and periodically, to pick up new channels and rotations; it then authorizes with
 * `{ protocol: 'srt', streamKey: <that passphrase> }`.
 */
export const LiveSrtListenersSchema = z.object({
  listeners: z.array(
    z.object({
      port: z.number().int().min(1).max(65_535),
      channelId: z.string().uuid(),
      passphrase: z.string().min(10).max(79),
    }),
  ),
});
export type LiveSrtListeners = z.infer<typeof LiveSrtListenersSchema>;

/** What a `live` job carries to the live transcoder. */
export const LiveJobPayloadSchema = z.object({
  sessionId: z.string().uuid(),
  /** Full URL to pull the stream from its ingest node. */
  sourceUrl: z.string().min(1).max(600),
  ladder: LiveLadderSchema,
});
export type LiveJobPayload = z.infer<typeof LiveJobPayloadSchema>;

/** States of a channel's live endpoint as the API shows them (`LIVE_STATES`). */
export const LiveStateSchema = z.enum(LIVE_STATES);

/** Where an encoder publishes. The secrets appear only in the answer that made them. */
export const LiveIngestSchema = z
  .object({
    /** Publish to `<rtmpUrl>/<streamKey>`. */
    rtmpUrl: z.string(),
    streamKey: z.string(),
    /** Complete: `srt://<host>:<port>?passphrase=<passphrase>`. */
    srtUrl: z.string(),
    /** WHIP (WebRTC, RFC 9725): POST the SDP offer here with the stream key as Bearer token. */
    whipUrl: z.string().optional(),
  })
  .meta({ id: 'LiveIngest' });

/** `POST /api/v1/channels/:handle/live` and `POST .../live/key` (201). */
export const LiveIngestAnswerSchema = z.object({ ingest: LiveIngestSchema }).meta({ id: 'LiveIngestAnswer' });
export type LiveIngestAnswer = z.infer<typeof LiveIngestAnswerSchema>;

/** `GET /api/v1/channels/:handle/live` (owner): never a key or passphrase. */
export const LiveEndpointSchema = z
  .object({
    state: LiveStateSchema,
    /** The live video while `state` is `live` (also while a dropped encoder may come back). */
    videoId: z.string().uuid().nullable(),
    settings: LiveSettingsSchema,
    /** Where to publish, without the secrets. */
    rtmpUrl: z.string(),
    srtHost: z.string(),
    srtPort: z.number().int(),
    /** Where WHIP encoders post (with the stream key as Bearer token), when WebRTC ingest is on. */
    whipUrl: z.string().optional(),
    createdAt: z.string().datetime(),
    keyRotatedAt: z.string().datetime(),
  })
  .meta({ id: 'LiveEndpoint' });
export type LiveEndpoint = z.infer<typeof LiveEndpointSchema>;

/** `PATCH /api/v1/channels/:handle/live`: any subset of the settings. */
export const UpdateLiveSettingsInputSchema = z
  .object({
    ladder: LiveLadderSchema,
    record: z.boolean(),
    dvrWindowSeconds: LiveSettingsSchema.shape.dvrWindowSeconds.unwrap(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one setting to change');
export type UpdateLiveSettingsInput = z.infer<typeof UpdateLiveSettingsInputSchema>;

// --- The live data path (transcoder -> origin -> edge) -------------------------------------------
//
// The live transcoder runs the LL-HLS packager and pushes, over the runner API:
// - `PUT /api/v1/runners/jobs/:id/live/files/<rendition>/<file>`: init segments, parts and finished
//   segments (file names from protocol/media.ts). Parts are kept in the origin's memory for the
//   live edge; init segments and finished segments also go to storage under the video's HLS folder
//   (the DVR window and the recording).
// - `PUT /api/v1/runners/jobs/:id/live/state`: the packager state of every rendition, after every
//   change. The origin renders the playlists from it (protocol/live-hls/playlist.ts) and answers
//   blocking reloads (protocol/live-hls/blocking.ts).
// The edge reads a live video through `GET /internal/v1/live/:videoId/hls/<path>` (internal token),
// with the player's `_HLS_msn`, `_HLS_part` and `_HLS_skip` passed through.

const LivePartSchema = z.object({
  msn: z.number().int().min(0),
  index: z.number().int().min(0),
  name: z.string().min(1).max(100),
  durationSeconds: z.number().nonnegative(),
  independent: z.boolean(),
});

const LiveSegmentSchema = z.object({
  msn: z.number().int().min(0),
  name: z.string().min(1).max(100),
  init: z.string().min(1).max(100),
  parts: z.array(LivePartSchema).max(200),
  durationSeconds: z.number().nonnegative(),
  programDateTime: z.number(),
  discontinuity: z.boolean(),
});

/** protocol/live-hls/state.ts `PackagerState`, as pushed over the wire. */
export const PackagerStateSchema = z.object({
  targetDuration: z.number().int().min(1).max(60),
  partTarget: z.number().positive().max(10),
  mediaSequence: z.number().int().min(0),
  discontinuitySequence: z.number().int().min(0),
  segments: z.array(LiveSegmentSchema).max(25_000),
  current: LiveSegmentSchema.optional(),
  preloadHint: z.string().min(1).max(100).optional(),
  ended: z.boolean(),
});

/** One rendition of a live stream, as the multivariant playlist lists it. */
export const LiveRenditionStateSchema = z.object({
  /** Folder of the rendition under the HLS folder: `source`, `720p`, ... */
  name: z.string().regex(/^[a-z0-9_-]{1,24}$/),
  bandwidth: z.number().int().positive(),
  codecs: z.string().max(100).optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  state: PackagerStateSchema,
});

/**
 * How the encoder's stream arrives, measured by the live transcoder on the source as it is read
 * (over the last few seconds): what a streamer checks when viewers say it stutters.
 */
export const LiveStreamHealthSchema = z
  .object({
    /** Bits per second of the source rung (video and audio) as received. */
    inputBitrate: z.number().int().min(0),
    frameRate: z.number().min(0),
    /** Seconds between the last two keyframes; null until two were seen. */
    keyframeIntervalSeconds: z.number().min(0).nullable(),
    /** Frames missing from the source's timeline since the live job started (gaps in decode time). */
    droppedFrames: z.number().int().min(0),
  })
  .meta({ id: 'LiveStreamHealth' });
export type LiveStreamHealth = z.infer<typeof LiveStreamHealthSchema>;

/** Body of `PUT /api/v1/runners/jobs/:id/live/state`. */
export const LiveStateInputSchema = z.object({
  renditions: z.array(LiveRenditionStateSchema).min(1).max(8),
  health: LiveStreamHealthSchema.optional(),
});
export type LiveStateInput = z.infer<typeof LiveStateInputSchema>;
