import type { Role } from './claims.js';
import type { Privacy } from './video.js';

/** Who is asking, as far as access rules are concerned. */
export interface AccessViewer {
  userId: string;
  role: Role;
}

/** What a caller may learn about one video. */
export type VideoAccess = 'allowed' | 'not_found' | 'auth_required' | 'password_required' | 'wrong_password';

/**
 * The privacy rules, shared by the origin (API reads) and the edge (playback issuance), so the two
 * can never disagree. Pure, so every level x caller pair is unit-tested.
 * - owner and admin: always;
 * - public, unlisted: anyone;
 * - internal: any signed-in user (anonymous callers are asked to sign in);
 * - password: anyone with the right password;
 * - private: nobody else, and its existence is not revealed.
 */
export function decideVideoAccess(
  video: { privacy: Privacy; ownerId: string },
  viewer: AccessViewer | undefined,
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
