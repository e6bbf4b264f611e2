import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { refreshTokenFamilies, users } from '../../../../db/schema/index.js';
import type { AccountSuspensionDto } from '../../../../protocol/api/accounts.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { recordEvent } from '../outbox/record.js';

/** What a suspended account is told when it tries to sign in, refresh or write. */
export const SUSPENDED_MESSAGE = 'This account is suspended. Contact the instance administrators.';

function requireAdmin(actor: Viewer): void {
  if (actor.role !== 'admin') throw new ForbiddenError('Only an admin can do this');
}

/**
 * Suspend an account (admin only). In one transaction: mark it, end every sign-in (all refresh
 * token families), and record `user.suspended`, whose `edge-cache-purge` delivery revokes the
 * playback of every video the user owns. Access JWTs already out are refused for writes by
 * `assertNotSuspended` and expire within their 15 minutes. Suspending twice changes nothing.
 */
export async function suspendUser(
  ctx: ServiceContext,
  input: { actor: Viewer; userId: string },
): Promise<AccountSuspensionDto> {
  requireAdmin(input.actor);
  if (input.actor.userId === input.userId)
    throw new ConflictError('An admin cannot suspend their own account');
  return ctx.db.transaction(async (tx) => {
    const now = new Date();
    const [changed] = await tx
      .update(users)
      .set({ suspendedAt: now })
      .where(and(eq(users.id, input.userId), isNull(users.suspendedAt)))
      .returning({ suspendedAt: users.suspendedAt });
    if (!changed) return currentSuspension(tx, input.userId);
    await tx
      .update(refreshTokenFamilies)
      .set({ revokedAt: now, revokedReason: 'account suspended' })
      .where(and(eq(refreshTokenFamilies.userId, input.userId), isNull(refreshTokenFamilies.revokedAt)));
    await recordEvent(tx, {
      type: 'user.suspended',
      payload: { userId: input.userId, actorId: input.actor.userId },
    });
    return { userId: input.userId, suspendedAt: now.toISOString() };
  });
}

/**
 * Lift a suspension (admin only): sign-in and new playback tokens work again. Tokens revoked by
 * the suspension stay revoked. Lifting one that is not there changes nothing.
 */
export async function unsuspendUser(
  ctx: ServiceContext,
  input: { actor: Viewer; userId: string },
): Promise<AccountSuspensionDto> {
  requireAdmin(input.actor);
  return ctx.db.transaction(async (tx) => {
    const [changed] = await tx
      .update(users)
      .set({ suspendedAt: null })
      .where(and(eq(users.id, input.userId), isNotNull(users.suspendedAt)))
      .returning({ id: users.id });
    if (!changed) return currentSuspension(tx, input.userId);
    await recordEvent(tx, {
      type: 'user.unsuspended',
      payload: { userId: input.userId, actorId: input.actor.userId },
    });
    return { userId: input.userId, suspendedAt: null };
  });
}

async function currentSuspension(
  tx: Pick<ServiceContext['db'], 'select'>,
  userId: string,
): Promise<AccountSuspensionDto> {
  const [user] = await tx.select({ suspendedAt: users.suspendedAt }).from(users).where(eq(users.id, userId));
  if (!user) throw new NotFoundError('User');
  return { userId, suspendedAt: user.suspendedAt?.toISOString() ?? null };
}

/**
 * Refuse a write by a suspended account whose access JWT has not expired yet: one primary-key
 * lookup, paid by writes only (reads by a suspended user see nothing the suspension hides).
 */
export async function assertNotSuspended(ctx: ServiceContext, userId: string): Promise<void> {
  const [user] = await ctx.db
    .select({ suspendedAt: users.suspendedAt })
    .from(users)
    .where(eq(users.id, userId));
  if (user?.suspendedAt) throw new ForbiddenError(SUSPENDED_MESSAGE);
}
