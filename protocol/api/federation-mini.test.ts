import { describe, expect, it } from 'vitest';
import { toJSONSchema } from 'zod';
import {
  FederationHealthSchema,
  FederationHostHealthSchema,
  RemoteFollowListSchema,
  RemoteVideoMediaSchema,
} from './federation.js';
import {
  FederationHealthMiniSchema,
  FederationHostHealthMiniSchema,
  RemoteFollowListMiniSchema,
  RemoteVideoMediaMiniSchema,
} from './federation-mini.js';

describe('federation health twins', () => {
  it('describe exactly what the origin publishes', () => {
    expect(toJSONSchema(FederationHostHealthMiniSchema)).toEqual(toJSONSchema(FederationHostHealthSchema));
    expect(toJSONSchema(FederationHealthMiniSchema)).toEqual(toJSONSchema(FederationHealthSchema));
  });
});

const follow = {
  channelId: '0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90',
  handle: 'harbour@b.example',
  displayName: 'Harbour',
  actorId: 'https://b.example/video-channels/harbour',
  state: 'pending',
};
const media = { url: 'https://b.example/videos/watch/x', hls: 'https://b.example/m.m3u8', thumbnail: null };

describe('the mini twins of the remote-content schemas', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['a follow list', { data: [follow] }, true],
    ['an unknown state', { data: [{ ...follow, state: 'maybe' }] }, false],
    ['a channel id that is no uuid', { data: [{ ...follow, channelId: 'x' }] }, false],
    ['a missing handle', { data: [{ ...follow, handle: undefined }] }, false],
  ];
  it.each(cases)('agree with the originals on %s', (_name, value, valid) => {
    expect(RemoteFollowListSchema.safeParse(value).success).toBe(valid);
    expect(RemoteFollowListMiniSchema.safeParse(value).success).toBe(valid);
  });

  it('agree on remote media, with and without a thumbnail', () => {
    for (const value of [media, { ...media, thumbnail: 'https://b.example/t.jpg' }]) {
      expect(RemoteVideoMediaMiniSchema.parse(value)).toEqual(RemoteVideoMediaSchema.parse(value));
    }
    expect(RemoteVideoMediaMiniSchema.safeParse({ ...media, hls: 3 }).success).toBe(false);
    expect(RemoteVideoMediaSchema.safeParse({ ...media, hls: 3 }).success).toBe(false);
  });
});
