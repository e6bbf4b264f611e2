import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../auth/access-tokens.js';
import { canManagePlaylist, canSeePlaylist, playlistVideoPrivacies } from './access.js';

const owner: Viewer = { userId: 'owner', role: 'user', username: 'owner' };
const other: Viewer = { userId: 'other', role: 'user', username: 'other' };
const admin: Viewer = { userId: 'admin', role: 'admin', username: 'admin' };

describe('playlist access', () => {
  it('shows public and unlisted playlists to anyone, private ones to the owner and admins only', () => {
    for (const privacy of ['public', 'unlisted'] as const) {
      for (const viewer of [undefined, owner, other, admin]) {
        expect(canSeePlaylist(viewer, { privacy, ownerId: 'owner' })).toBe(true);
      }
    }
    const secret = { privacy: 'private' as const, ownerId: 'owner' };
    expect([undefined, owner, other, admin].map((viewer) => canSeePlaylist(viewer, secret))).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });

  it('lets only the owner and admins change a playlist', () => {
    const list = { privacy: 'public' as const, ownerId: 'owner' };
    expect([undefined, owner, other, admin].map((viewer) => canManagePlaylist(viewer, list))).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });

  it('shows videos inside playlists as the video rules allow without a password', () => {
    expect(playlistVideoPrivacies(undefined)).toEqual(['public', 'unlisted']);
    expect(playlistVideoPrivacies(other)).toEqual(['public', 'unlisted', 'internal']);
    expect(playlistVideoPrivacies(admin)).toBe('all');
  });
});
