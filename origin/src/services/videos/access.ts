import type { Privacy } from '../../../../protocol/video.js';
import type { Viewer } from '../../auth/access-tokens.js';

export { decideVideoAccess, type VideoAccess } from '../../../../protocol/access.js';

/**
 * Which privacy levels appear in listings for a caller, besides their own videos (which are
 * always listed to them). Unlisted and password videos are reachable by link only.
 */
export function listablePrivacies(viewer: Viewer | undefined): Privacy[] | 'all' {
  if (!viewer) return ['public'];
  if (viewer.role === 'admin') return 'all';
  return ['public', 'internal'];
}
