import { decideVideoAccess } from '../../../../protocol/access.js';
import type { Privacy } from '../../../../protocol/video.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { ForbiddenError, NotFoundError, type ServiceError } from '../../lib/errors.js';

export { decideVideoAccess, type VideoAccess } from '../../../../protocol/access.js';

/**
 * Why a caller who may not change a video is refused: 404 when they may not even see it (a private
 * video of someone else answers exactly like a random id, whatever the method), else 403.
 */
export function refusalToManage(
  viewer: Viewer,
  video: { privacy: Privacy; ownerId: string },
  message: string,
): ServiceError {
  return decideVideoAccess(video, viewer, { given: false }) === 'not_found'
    ? new NotFoundError('Video')
    : new ForbiddenError(message);
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
