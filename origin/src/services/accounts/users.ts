import { eq, sql } from 'drizzle-orm';
import { users } from '../../../../db/schema/index.js';
import type { UserDto } from '../../../../protocol/api/accounts.js';
import { NotFoundError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';

export type UserRow = typeof users.$inferSelect;

export function toUserDto(user: UserRow): UserDto {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
  };
}

export async function findUserByEmail(ctx: ServiceContext, email: string): Promise<UserRow | undefined> {
  const [user] = await ctx.db.select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return user;
}

/** The signed-in user's profile. */
export async function getUser(ctx: ServiceContext, input: { userId: string }): Promise<UserDto> {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, input.userId));
  if (!user) throw new NotFoundError('User');
  return toUserDto(user);
}
