import type { Context } from 'hono';
import { HLS_FILES } from '../../../protocol/media.js';
import type { EdgeEnv } from '../context.js';
import { errorResponse } from '../errors.js';
import { redirectToSignedMedia } from '../playback/federated.js';

const IMAGE_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jpg$/;

/**
 * `GET /lazy-static/{thumbnails,previews}/<uuid>.jpg` (`PEERTUBE_IMAGE_DIRS`): the `thumbnailPath`
 * and `previewPath` of our PeerTube video JSON, which PeerTube clients (Grayjay) load from the
 * instance's origin with no token. Like federated media: public and unlisted videos only, by a
 * redirect to a freshly signed thumbnail URL.
 */
export function servePeertubeImage(c: Context<EdgeEnv>): Promise<Response> | Response {
  const match = IMAGE_FILE.exec(c.req.param('file') ?? '');
  if (!match) return errorResponse('not_found', 'No such image', c.var.requestId);
  return redirectToSignedMedia(c, match[1] as string, HLS_FILES.thumbnail);
}
