// The zod/mini twins of the live API answers (`protocol/live.ts`) that the edge's Go-live page
// reads. Classic zod would add ~450 KB to the worker, and the origin's OpenAPI routes cannot read
// mini schemas; `live.test.ts` holds each twin to the JSON Schema of its original, ids included
// (docs/adr/0007-zod-mini-twins.md).
import * as z from 'zod/mini';
import { LIVE_LADDERS, LIVE_STATES } from '../live-enums.js';

/** Twin of `LiveStreamHealthSchema`. */
export const LiveStreamHealthMiniSchema = z
  .object({
    inputBitrate: z.int().check(z.minimum(0)),
    frameRate: z.number().check(z.minimum(0)),
    keyframeIntervalSeconds: z.nullable(z.number().check(z.minimum(0))),
    droppedFrames: z.int().check(z.minimum(0)),
  })
  .check(z.meta({ id: 'LiveStreamHealth' }));

/** Twin of `LiveSettingsSchema`. */
export const LiveSettingsMiniSchema = z
  .object({
    ladder: z._default(z.enum(LIVE_LADDERS), 'source'),
    record: z._default(z.boolean(), true),
    /** How far back viewers may seek while live, in seconds (DVR window). */
    dvrWindowSeconds: z._default(z.int().check(z.minimum(30), z.maximum(6 * 3600)), 1800),
  })
  .check(z.meta({ id: 'LiveSettings' }));

/** Twin of `LiveIngestAnswerSchema`: `POST .../live` and `POST .../live/key` (201), the only time the key shows. */
export const LiveIngestAnswerMiniSchema = z
  .object({
    ingest: z
      .object({
        rtmpUrl: z.string(),
        streamKey: z.string(),
        srtUrl: z.string(),
        whipUrl: z.optional(z.string()),
      })
      .check(z.meta({ id: 'LiveIngest' })),
  })
  .check(z.meta({ id: 'LiveIngestAnswer' }));

/** Twin of `LiveEndpointSchema`: `GET`/`PATCH /api/v1/channels/:handle/live`, never a secret. */
export const LiveEndpointMiniSchema = z
  .object({
    state: z.enum(LIVE_STATES),
    videoId: z.nullable(z.uuid()),
    settings: LiveSettingsMiniSchema,
    rtmpUrl: z.string(),
    srtHost: z.string(),
    srtPort: z.int(),
    whipUrl: z.optional(z.string()),
    createdAt: z.iso.datetime(),
    keyRotatedAt: z.iso.datetime(),
  })
  .check(z.meta({ id: 'LiveEndpoint' }));
