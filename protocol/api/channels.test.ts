import { describe, expect, expectTypeOf, it } from 'vitest';
import { toJSONSchema } from 'zod';
import type * as z from 'zod/mini';
import { type ChannelDto, ChannelListSchema, ChannelSchema } from './channels.js';
import { ChannelListMiniSchema, ChannelMiniSchema } from './channels-mini.js';

const channel: ChannelDto = {
  id: '0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90',
  handle: 'studio',
  displayName: 'Studio',
  description: 'Tests & more',
  ownerId: '4f1c2b7e-3d5a-4e8f-9a6b-1c2d3e4f5a6b',
  followersCount: 3,
  createdAt: '2025-01-02T03:04:05.678Z',
};

describe('channel API contracts', () => {
  it('the zod/mini twins the edge parses with describe exactly what the origin publishes', () => {
    expect(toJSONSchema(ChannelMiniSchema)).toEqual(toJSONSchema(ChannelSchema));
    expect(toJSONSchema(ChannelListMiniSchema)).toEqual(toJSONSchema(ChannelListSchema));
    expectTypeOf<z.output<typeof ChannelMiniSchema>>().toEqualTypeOf<ChannelDto>();
  });

  it('both accept what the origin sends and refuse what breaks the contract', () => {
    for (const [schema, list] of [
      [ChannelSchema, ChannelListSchema],
      [ChannelMiniSchema, ChannelListMiniSchema],
    ] as const) {
      expect(schema.safeParse(channel).data).toEqual(channel);
      expect(list.safeParse({ items: [channel] }).data).toEqual({ items: [channel] });
      expect(list.safeParse({ items: [] }).success).toBe(true);
      for (const broken of [
        { ...channel, ownerId: 'nobody' },
        { ...channel, description: null },
        { method: 'GET', url: '/api/v1/channels/studio' },
      ]) {
        expect(schema.safeParse(broken).success).toBe(false);
      }
      expect(list.safeParse([channel]).success).toBe(false);
    }
  });
});
