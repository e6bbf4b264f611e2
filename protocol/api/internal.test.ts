import { describe, expect, it } from 'vitest';
import { toJSONSchema } from 'zod';
import {
  PasswordCheckResultSchema,
  RevocationFeedSchema,
  type VideoAccessPolicy,
  VideoAccessPolicySchema,
} from './internal.js';
import {
  PasswordCheckResultMiniSchema,
  RevocationFeedMiniSchema,
  VideoAccessPolicyMiniSchema,
} from './internal-mini.js';

describe('internal API contracts', () => {
  it('the zod/mini twins the edge parses with describe exactly what the origin publishes', () => {
    expect(toJSONSchema(VideoAccessPolicyMiniSchema)).toEqual(toJSONSchema(VideoAccessPolicySchema));
    expect(toJSONSchema(PasswordCheckResultMiniSchema)).toEqual(toJSONSchema(PasswordCheckResultSchema));
    expect(toJSONSchema(RevocationFeedMiniSchema)).toEqual(toJSONSchema(RevocationFeedSchema));
  });

  it('both accept what the origin sends and refuse what breaks the contract', () => {
    const policy: VideoAccessPolicy = {
      id: '0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90',
      privacy: 'password',
      ownerId: '4f1c2b7e-3d5a-4e8f-9a6b-1c2d3e4f5a6b',
      ownerSuspended: false,
      revocation: 0,
      state: 'ready',
      assets: { version: 2, master: 'hls/master.m3u8', thumbnail: 'thumbnail.jpg' },
      live: null,
    };
    for (const schema of [VideoAccessPolicySchema, VideoAccessPolicyMiniSchema]) {
      expect(schema.safeParse(policy).data).toEqual(policy);
      expect(schema.safeParse({ ...policy, assets: null }).success).toBe(true);
      const onAir = { ...policy, state: 'live', assets: null, live: { version: 1_767_225_600_000 } };
      expect(schema.safeParse(onAir).data).toEqual(onAir);
      for (const broken of [
        { ...policy, privacy: 'secret' },
        { ...policy, ownerId: 'nobody' },
        { ...policy, revocation: -1 },
        { ...policy, ownerSuspended: undefined },
        { ...policy, assets: { master: 'hls/master.m3u8' } },
        { ...policy, live: undefined },
        { ...policy, live: { version: 1.5 } },
        { method: 'GET', url: '/internal/v1/videos/x/access' },
      ]) {
        expect(schema.safeParse(broken).success).toBe(false);
      }
    }
  });
});
