import type { VideoAccessPolicy } from '../../../protocol/api/internal.js';
import {
  PasswordCheckResultMiniSchema,
  VideoAccessPolicyMiniSchema,
} from '../../../protocol/api/internal-mini.js';
import { readOriginJson } from '../origin-answer.js';
import { fetchWithFailover } from '../routing.js';
import type { EdgeState } from '../state.js';

const POLICY_TTL_MS = 10_000;

/**
 * A video's access policy from the origin's internal API, cached briefly per isolate: a privacy
 * change reaches the edge within seconds, while a burst of viewers costs one origin call.
 * `fresh` skips the cache (and refreshes it): playback issuance always asks, so a delete or a
 * suspension refuses new tokens at once. Undefined when the video does not exist (or is deleted);
 * an answer that breaks the contract throws `OriginAnswerError` (a 502) and is not cached.
 */
export async function getPolicy(
  state: EdgeState,
  videoId: string,
  options: { fresh?: boolean } = {},
): Promise<VideoAccessPolicy | undefined> {
  const cached = options.fresh ? undefined : state.policies.get(videoId);
  if (cached && cached.until > Date.now()) return cached.policy === 'missing' ? undefined : cached.policy;
  const res = await fetchWithFailover(state.pool, 'GET', (origin) =>
    fetch(`${origin}/internal/v1/videos/${videoId}/access`, {
      headers: { authorization: `Bearer ${state.config.internalApiToken}` },
    }),
  );
  if (res.status === 404) {
    state.policies.set(videoId, { policy: 'missing', until: Date.now() + POLICY_TTL_MS });
    return undefined;
  }
  const policy = await readOriginJson(res, VideoAccessPolicyMiniSchema, 'policy fetch');
  state.policies.set(videoId, { policy, until: Date.now() + POLICY_TTL_MS });
  if (state.policies.size > 10_000) state.policies.delete(state.policies.keys().next().value as string);
  return policy;
}

/** Ask the origin whether a video password is right; it throttles guesses per client address. */
export async function checkPassword(
  state: EdgeState,
  videoId: string,
  password: string,
  ip: string,
): Promise<{ ok: boolean } | { throttled: Response }> {
  const res = await fetchWithFailover(state.pool, 'POST', (origin) =>
    fetch(`${origin}/internal/v1/videos/${videoId}/password-check`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${state.config.internalApiToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ password, ip }),
    }),
  );
  if (res.status === 429) return { throttled: res };
  return readOriginJson(res, PasswordCheckResultMiniSchema, 'password check');
}
