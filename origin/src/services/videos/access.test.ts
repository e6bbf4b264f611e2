import { describe, expect, it } from 'vitest';
import { PRIVACY_LEVELS, type Privacy } from '../../../../protocol/video.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { decideVideoAccess, listablePrivacies, type VideoAccess } from './access.js';

const OWNER = '00000000-0000-4000-8000-000000000001';
const owner: Viewer = { userId: OWNER, role: 'user', username: 'owner' };
const other: Viewer = { userId: '00000000-0000-4000-8000-000000000002', role: 'user', username: 'other' };
const moderator: Viewer = {
  userId: '00000000-0000-4000-8000-000000000004',
  role: 'moderator',
  username: 'mod',
};
const admin: Viewer = { userId: '00000000-0000-4000-8000-000000000003', role: 'admin', username: 'admin' };
const callers = { anonymous: undefined, owner, other, moderator, admin } as const;

// Expected outcome without a password, for every privacy level and kind of caller.
const expected: Record<Privacy, Record<keyof typeof callers, VideoAccess>> = {
  public: {
    anonymous: 'allowed',
    owner: 'allowed',
    other: 'allowed',
    moderator: 'allowed',
    admin: 'allowed',
  },
  unlisted: {
    anonymous: 'allowed',
    owner: 'allowed',
    other: 'allowed',
    moderator: 'allowed',
    admin: 'allowed',
  },
  internal: {
    anonymous: 'auth_required',
    owner: 'allowed',
    other: 'allowed',
    moderator: 'allowed',
    admin: 'allowed',
  },
  private: {
    anonymous: 'not_found',
    owner: 'allowed',
    other: 'not_found',
    moderator: 'not_found',
    admin: 'allowed',
  },
  password: {
    anonymous: 'password_required',
    owner: 'allowed',
    other: 'password_required',
    moderator: 'password_required',
    admin: 'allowed',
  },
};

describe('decideVideoAccess', () => {
  for (const privacy of PRIVACY_LEVELS) {
    for (const [name, viewer] of Object.entries(callers)) {
      it(`${privacy} video, ${name} caller -> ${expected[privacy][name as keyof typeof callers]}`, () => {
        const access = decideVideoAccess({ privacy, ownerId: OWNER }, viewer, { given: false });
        expect(access).toBe(expected[privacy][name as keyof typeof callers]);
      });
    }
  }

  it('lets anyone with the right password see a password video, and flags a wrong one', () => {
    const video = { privacy: 'password' as const, ownerId: OWNER };
    expect(decideVideoAccess(video, undefined, { given: true, matches: true })).toBe('allowed');
    expect(decideVideoAccess(video, other, { given: true, matches: true })).toBe('allowed');
    expect(decideVideoAccess(video, undefined, { given: true, matches: false })).toBe('wrong_password');
  });

  it('never lets a password open a private video', () => {
    const video = { privacy: 'private' as const, ownerId: OWNER };
    expect(decideVideoAccess(video, other, { given: true, matches: true })).toBe('not_found');
  });
});

describe('listablePrivacies', () => {
  it('lists public only to anonymous callers, public and internal to users, everything to admins', () => {
    expect(listablePrivacies(undefined)).toEqual(['public']);
    expect(listablePrivacies(other)).toEqual(['public', 'internal']);
    expect(listablePrivacies(moderator)).toEqual(['public', 'internal']);
    expect(listablePrivacies(admin)).toBe('all');
  });
});
