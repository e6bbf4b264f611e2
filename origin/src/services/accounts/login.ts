import { type LoginInput, LoginInputSchema, type SessionDto } from '../../../../protocol/api/accounts.js';
import { burnPasswordCheck, verifyPassword } from '../../auth/passwords.js';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { startSession } from './sessions.js';
import { SUSPENDED_MESSAGE } from './suspension.js';
import { findUserByEmail } from './users.js';

const THROTTLED = 'Too many failed sign-in attempts. Wait a while and try again.';

/**
 * Check credentials and start a session. Failures delay the (email, address) pair, the address and,
 * past a high ceiling, the email from unfamiliar addresses: nobody can lock the owner out from
 * elsewhere, and rotating addresses does not buy a guesser more tries (docs/adr/0008-brute-force.md).
 */
export async function login(
  ctx: ServiceContext,
  rawInput: LoginInput,
  client: { ip: string },
): Promise<SessionDto> {
  const input = LoginInputSchema.parse(rawInput);
  const attempt = { subject: input.email, address: client.ip };
  await ctx.loginThrottle.assertAllowed(attempt, THROTTLED);

  const user = await findUserByEmail(ctx, input.email);
  const valid = user
    ? await verifyPassword(input.password, user.passwordHash)
    : await burnPasswordCheck(input.password, ctx.config.scrypt).then(() => false);
  if (!user || !valid) {
    await ctx.loginThrottle.recordFailure(attempt);
    throw new UnauthorizedError('The email or password is wrong');
  }
  await ctx.loginThrottle.recordSuccess(attempt);
  // Told only to whoever knows the password, so it reveals nothing to a guesser.
  if (user.suspendedAt) throw new ForbiddenError(SUSPENDED_MESSAGE);
  return startSession(ctx, user);
}
