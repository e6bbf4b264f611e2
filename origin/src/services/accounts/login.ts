import { type LoginInput, LoginInputSchema, type SessionDto } from '../../../../protocol/api/accounts.js';
import { burnPasswordCheck, verifyPassword } from '../../auth/passwords.js';
import { UnauthorizedError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { startSession } from './sessions.js';
import { findUserByEmail } from './users.js';

const THROTTLED = 'Too many failed sign-in attempts. Wait a while and try again.';

/**
 * Check credentials and start a session. Failures count against both the email and the client
 * address, so neither one account nor one attacker can be hammered.
 */
export async function login(
  ctx: ServiceContext,
  rawInput: LoginInput,
  client: { ip: string },
): Promise<SessionDto> {
  const input = LoginInputSchema.parse(rawInput);
  const keys = [`login:email:${input.email}`, `login:ip:${client.ip}`];
  await ctx.loginThrottle.assertAllowed(keys, THROTTLED);

  const user = await findUserByEmail(ctx, input.email);
  const valid = user
    ? await verifyPassword(input.password, user.passwordHash)
    : await burnPasswordCheck(input.password, ctx.config.scrypt).then(() => false);
  if (!user || !valid) {
    await ctx.loginThrottle.recordFailure(keys);
    throw new UnauthorizedError('The email or password is wrong');
  }
  await ctx.loginThrottle.reset([`login:email:${input.email}`]);
  return startSession(ctx, user);
}
