import { verifyPassword } from '../../auth/passwords.js';
import type { ServiceContext } from '../context.js';

/**
 * Check a guess at a video's password under the brute-force throttle: keyed on the video, with the
 * (video, address) pair and the address on top, so neither one guesser nor many addresses get far.
 * A waiting key answers 429, a wrong guess counts, a right one clears the pair.
 */
export async function guessVideoPassword(
  ctx: ServiceContext,
  input: { videoId: string; passwordHash: string | null; password: string; ip: string },
): Promise<boolean> {
  const attempt = { subject: input.videoId, address: input.ip };
  await ctx.videoPasswordThrottle.assertAllowed(attempt, 'Too many wrong passwords. Try again later.');
  const ok = Boolean(input.passwordHash) && (await verifyPassword(input.password, input.passwordHash ?? ''));
  if (ok) await ctx.videoPasswordThrottle.recordSuccess(attempt);
  else await ctx.videoPasswordThrottle.recordFailure(attempt);
  return ok;
}
