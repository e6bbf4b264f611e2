import { describe, expect, expectTypeOf, it } from 'vitest';
import { toJSONSchema } from 'zod';
import type * as z from 'zod/mini';
import {
  type LiveEndpoint,
  LiveEndpointSchema,
  type LiveIngestAnswer,
  LiveIngestAnswerSchema,
} from '../live.js';
import { LiveEndpointMiniSchema, LiveIngestAnswerMiniSchema } from './live-mini.js';

const endpoint: LiveEndpoint = {
  state: 'live',
  videoId: '0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90',
  settings: { ladder: 'source+720p', record: false, dvrWindowSeconds: 600 },
  rtmpUrl: 'rtmp://127.0.0.1:1935/live',
  srtHost: '127.0.0.1',
  srtPort: 9000,
  createdAt: '2025-01-02T03:04:05.678Z',
  keyRotatedAt: '2025-01-02T03:04:05.678Z',
};
const answer: LiveIngestAnswer = {
  ingest: {
    rtmpUrl: 'rtmp://127.0.0.1:1935/live',
    streamKey: 'k'.repeat(43),
    srtUrl: 'srt://127.0.0.1:9000?passphrase=secret-passphrase',
  },
};

describe('live API contracts', () => {
  it('the zod/mini twins the edge parses with describe exactly what the origin publishes', () => {
    expect(toJSONSchema(LiveEndpointMiniSchema)).toEqual(toJSONSchema(LiveEndpointSchema));
    expect(toJSONSchema(LiveIngestAnswerMiniSchema)).toEqual(toJSONSchema(LiveIngestAnswerSchema));
    expectTypeOf<z.output<typeof LiveEndpointMiniSchema>>().toEqualTypeOf<LiveEndpoint>();
    expectTypeOf<z.output<typeof LiveIngestAnswerMiniSchema>>().toEqualTypeOf<LiveIngestAnswer>();
  });

  it('both accept what the origin sends and refuse what breaks the contract', () => {
    for (const [schema, ingest] of [
      [LiveEndpointSchema, LiveIngestAnswerSchema],
      [LiveEndpointMiniSchema, LiveIngestAnswerMiniSchema],
    ] as const) {
      expect(schema.safeParse(endpoint).data).toEqual(endpoint);
      expect(schema.safeParse({ ...endpoint, state: 'idle', videoId: null }).success).toBe(true);
      expect(ingest.safeParse(answer).data).toEqual(answer);
      for (const broken of [
        { ...endpoint, state: 'on air' },
        { ...endpoint, videoId: 'none' },
        { ...endpoint, settings: { ...endpoint.settings, dvrWindowSeconds: 5 } },
        { ...endpoint, srtPort: '9000' },
      ]) {
        expect(schema.safeParse(broken).success).toBe(false);
      }
      expect(ingest.safeParse({ ingest: { rtmpUrl: answer.ingest.rtmpUrl } }).success).toBe(false);
    }
  });
});
