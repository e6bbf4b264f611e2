import { count, sql } from 'drizzle-orm';
import { users } from '../../../../db/schema/index.js';
import {
  type RegisterInput,
  RegisterInputSchema,
  type RegistrationAccepted,
} from '../../../../protocol/api/accounts.js';
import { hashPassword } from '../../auth/passwords.js';
import { ACTOR_NAMES_KEY, isUniqueViolation } from '../../lib/db-errors.js';
import { ConflictError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';

/** The one answer, whether the email was free or not; the caller signs in next. */
export const REGISTRATION_ACCEPTED: RegistrationAccepted = {
  message:
    'Thanks. If this email was not registered yet, your account is ready: sign in with it. If it was, its owner has been sent a notice.',
};

function usernameTaken(): ConflictError {
  // Usernames are public (channel pages show them), so saying one is taken reveals nothing new.
  return new ConflictError('This username is taken', [
    { path: 'username', message: 'This username is taken' },
  ]);
}

async function isUsernameTaken(ctx: ServiceContext, username: string): Promise<boolean> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`);
  return (row?.n ?? 0) > 0;
}

/**
 * Create an account. The answer is the same whether or not the email is already registered, so
 * registration cannot tell an attacker which emails have accounts: an existing account's owner gets
 * a notice instead. The password is hashed either way, so both paths take about as long. The first
 * account on an instance becomes its admin, so an operator who just ran `npm start` can moderate.
 */
export async function register(ctx: ServiceContext, rawInput: RegisterInput): Promise<RegistrationAccepted> {
  const input = RegisterInputSchema.parse(rawInput);
  const passwordHash = await hashPassword(input.password, ctx.config.scrypt);
  const [existing] = await ctx.db.select({ n: count() }).from(users);
  try {
    await ctx.db.insert(users).values({
      email: input.email,
      username: input.username,
      passwordHash,
      role: existing?.n === 0 ? 'admin' : 'user',
    });
    return REGISTRATION_ACCEPTED;
  } catch (error) {
    const constraint = isUniqueViolation(error);
    // A channel's handle is a name too (one namespace, like PeerTube's).
    if (constraint === 'users_username_lower_key' || constraint === ACTOR_NAMES_KEY) throw usernameTaken();
    if (constraint !== 'users_email_lower_key') throw error;
    // Both may clash; the username answer must not depend on whether the email exists.
    if (await isUsernameTaken(ctx, input.username)) throw usernameTaken();
    await ctx.mailer.send({
      to: input.email,
      subject: 'Someone tried to register with your email',
      text:
        'Someone tried to create a new account with this email address, which already has one. ' +
        'If it was you, sign in with your existing account. Otherwise you can ignore this message: ' +
        'nothing was changed.',
    });
    return REGISTRATION_ACCEPTED;
  }
}
