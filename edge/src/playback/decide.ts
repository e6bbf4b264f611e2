import type { Context } from 'hono';
import { decideVideoAccess } from '../../../protocol/access.js';
import type { VideoAccessPolicy } from '../../../protocol/api/internal.js';
import { clientIp, type EdgeEnv, type EdgeViewer } from '../context.js';
import { errorResponse } from '../errors.js';
import { checkPassword, getPolicy } from './policy.js';

/**
 * May this caller see the video, decided at the edge from the origin's access policy (asked afresh:
 * a delete or a suspension refuses at once)? The policy when so, else the refusal to send, in the
 * house error shape. Shared by playback issuance and the chat upgrade.
 */
export async function decideAccessAtEdge(
  c: Context<EdgeEnv>,
  id: string,
  password: string | undefined,
  viewer: EdgeViewer | undefined = c.var.viewer,
): Promise<{ policy: VideoAccessPolicy } | Response> {
  const state = c.var.state;
  const requestId = c.var.requestId;
  const policy = await getPolicy(state, id, { fresh: true });
  if (!policy) return errorResponse('not_found', 'Video not found', requestId);
  // A suspended owner's videos play for nobody but admins (moderation), and look like no video.
  if (policy.ownerSuspended && viewer?.role !== 'admin')
    return errorResponse('not_found', 'Video not found', requestId);
  const isPasswordGuess = policy.privacy === 'password' && password !== undefined;
  let check: { given: false } | { given: true; matches: boolean } = { given: false };
  if (isPasswordGuess && !(viewer && (viewer.role === 'admin' || viewer.userId === policy.ownerId))) {
    const result = await checkPassword(state, id, password as string, clientIp(c));
    if ('throttled' in result) {
      const retryAfter = result.throttled.headers.get('retry-after') ?? '60';
      const res = errorResponse('too_many_requests', 'Too many wrong passwords. Try again later.', requestId);
      res.headers.set('retry-after', retryAfter);
      return res;
    }
    check = { given: true, matches: result.ok };
  }
  switch (decideVideoAccess(policy, viewer, check)) {
    case 'not_found':
      return errorResponse('not_found', 'Video not found', requestId);
    case 'auth_required':
      return errorResponse('unauthorized', 'Sign in to watch this video', requestId);
    case 'password_required':
      return errorResponse('password_required', 'This video is protected by a password', requestId);
    case 'wrong_password':
      return errorResponse('wrong_password', 'The video password is wrong', requestId);
    case 'allowed':
      return { policy };
  }
}
