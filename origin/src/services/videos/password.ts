import { verifyPassword } from '../../auth/passwords.js';
import type { ServiceContext } from '../context.js';

/**
 * Check a guess at a video's password under the brute-force throttle, keyed by video and client
 * address: a locked key answers 429, a wrong guess counts, a right one clears the count.
 */
export async function guessVideoPassword(
  ctx: ServiceContext,
  input: { videoId: string; passwordHash: string | null; password: string; ip: string },
): Promise<boolean> {
  const keys = [`video-password:${input.videoId}:${input.ip}`];
  await ctx.videoPasswordThrottle.assertAllowed(keys, 'Too many wrong passwords. Try again later.');
  const ok = Boolean(input.passwordHash) && (await verifyPassword(input.password, input.passwordHash ?? ''));
  if (ok) await ctx.videoPasswordThrottle.reset(keys);
  else await ctx.videoPasswordThrottle.recordFailure(keys);
  return ok;
}
