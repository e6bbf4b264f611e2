import { count } from 'drizzle-orm';
import { users } from '../../../../db/schema/index.js';
import {
  type RegisterInput,
  RegisterInputSchema,
  type SessionDto,
} from '../../../../protocol/api/accounts.js';
import { hashPassword } from '../../auth/passwords.js';
import { isUniqueViolation } from '../../lib/db-errors.js';
import { ConflictError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { startSession } from './sessions.js';

/**
 * Create an account and sign it in. The first account on an instance becomes its admin, so an
 * operator who just ran `npm start` can moderate without touching the database.
 */
export async function register(ctx: ServiceContext, rawInput: RegisterInput): Promise<SessionDto> {
  const input = RegisterInputSchema.parse(rawInput);
  const passwordHash = await hashPassword(input.password, ctx.config.scrypt);
  const [existing] = await ctx.db.select({ n: count() }).from(users);
  try {
    const [user] = await ctx.db
      .insert(users)
      .values({
        email: input.email,
        username: input.username,
        passwordHash,
        role: existing?.n === 0 ? 'admin' : 'user',
      })
      .returning();
    if (!user) throw new Error('insert returned no row');
    return await startSession(ctx, user);
  } catch (error) {
    const constraint = isUniqueViolation(error);
    if (constraint === 'users_email_lower_key') {
      throw new ConflictError('An account with this email already exists', [
        { path: 'email', message: 'This email is already registered' },
      ]);
    }
    if (constraint === 'users_username_lower_key') {
      throw new ConflictError('This username is taken', [
        { path: 'username', message: 'This username is taken' },
      ]);
    }
    throw error;
  }
}
