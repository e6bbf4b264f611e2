import type { Privacy } from '../../../../protocol/video.js';
import type { Viewer } from '../../auth/access-tokens.js';

/** What a caller may learn about one video. */
export type VideoAccess = 'allowed' | 'not_found' | 'auth_required' | 'password_required' | 'wrong_password';

/**
 * The privacy rules, by id. Pure, so every level x caller pair is unit-tested.
 * - owner and admin: always;
 * - public, unlisted: anyone;
 * - internal: any signed-in user (anonymous callers are asked to sign in);
 * - password: anyone with the right password;
 * - private: nobody else, and its existence is not revealed (404).
 */
export function decideVideoAccess(
  video: { privacy: Privacy; ownerId: string },
  viewer: Viewer | undefined,
  password: { given: false } | { given: true; matches: boolean },
): VideoAccess {
  if (viewer && (viewer.role === 'admin' || viewer.userId === video.ownerId)) return 'allowed';
  switch (video.privacy) {
    case 'public':
    case 'unlisted':
      return 'allowed';
    case 'internal':
      return viewer ? 'allowed' : 'auth_required';
    case 'password':
      if (!password.given) return 'password_required';
      return password.matches ? 'allowed' : 'wrong_password';
    case 'private':
      return 'not_found';
  }
}

/**
 * Which privacy levels appear in listings for a caller, besides their own videos (which are
 * always listed to them). Unlisted and password videos are reachable by link only.
 */
export function listablePrivacies(viewer: Viewer | undefined): Privacy[] | 'all' {
  if (!viewer) return ['public'];
  if (viewer.role === 'admin') return 'all';
  return ['public', 'internal'];
}
