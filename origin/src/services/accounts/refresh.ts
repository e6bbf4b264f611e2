import { and, eq, isNull } from 'drizzle-orm';
import { refreshTokenFamilies, refreshTokens, users } from '../../../../db/schema/index.js';
import { type RefreshInput, RefreshInputSchema, type SessionDto } from '../../../../protocol/api/accounts.js';
import { parseOpaqueToken, secretMatches } from '../../auth/opaque-tokens.js';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { issueRefreshToken, revokeFamily, sessionFor } from './sessions.js';
import { SUSPENDED_MESSAGE } from './suspension.js';

type Outcome =
  | { ok: true; session: Parameters<typeof sessionFor>[2]; userId: string }
  | { ok: false; reason: string; suspended?: true };

/**
 * Rotate a refresh token. Each token works once; presenting one that was already used means it
 * leaked, so the whole family (that sign-in on every device) is revoked.
 */
export async function refreshSession(ctx: ServiceContext, rawInput: RefreshInput): Promise<SessionDto> {
  const input = RefreshInputSchema.parse(rawInput);
  const parsed = parseOpaqueToken(input.refreshToken);
  if (!parsed) throw new UnauthorizedError('The refresh token is not valid');
  const now = new Date();

  // The revocation on reuse must commit, so the transaction returns an outcome instead of throwing.
  const outcome = await ctx.db.transaction(async (tx): Promise<Outcome> => {
    const [row] = await tx
      .select({ token: refreshTokens, family: refreshTokenFamilies, suspendedAt: users.suspendedAt })
      .from(refreshTokens)
      .innerJoin(refreshTokenFamilies, eq(refreshTokenFamilies.id, refreshTokens.familyId))
      .innerJoin(users, eq(users.id, refreshTokenFamilies.userId))
      .where(eq(refreshTokens.id, parsed.id))
      .for('update', { of: refreshTokens });
    if (!row || !secretMatches(parsed.secret, row.token.secretHash)) {
      return { ok: false, reason: 'The refresh token is not valid' };
    }
    if (row.suspendedAt) return { ok: false, reason: SUSPENDED_MESSAGE, suspended: true };
    if (row.family.revokedAt) return { ok: false, reason: 'This session has ended; sign in again' };
    if (row.token.expiresAt <= now)
      return { ok: false, reason: 'The refresh token has expired; sign in again' };
    const claimed = await tx
      .update(refreshTokens)
      .set({ usedAt: now })
      .where(and(eq(refreshTokens.id, row.token.id), isNull(refreshTokens.usedAt)))
      .returning({ id: refreshTokens.id });
    if (claimed.length === 0) {
      await revokeFamily(tx, row.family.id, 'refresh token reused', now);
      return {
        ok: false,
        reason: 'This refresh token was already used, so the session was ended; sign in again',
      };
    }
    const next = await issueRefreshToken(ctx, tx, row.family.id, now);
    return { ok: true, session: next, userId: row.family.userId };
  });

  if (!outcome.ok) {
    throw outcome.suspended ? new ForbiddenError(outcome.reason) : new UnauthorizedError(outcome.reason);
  }
  const [user] = await ctx.db.select().from(users).where(eq(users.id, outcome.userId));
  if (!user) throw new UnauthorizedError('This account no longer exists');
  return sessionFor(ctx, user, outcome.session, now);
}

/** End the sign-in the refresh token belongs to. Unknown tokens are ignored: logout is idempotent. */
export async function logout(ctx: ServiceContext, rawInput: RefreshInput): Promise<void> {
  const input = RefreshInputSchema.parse(rawInput);
  const parsed = parseOpaqueToken(input.refreshToken);
  if (!parsed) return;
  const [row] = await ctx.db.select().from(refreshTokens).where(eq(refreshTokens.id, parsed.id));
  if (!row || !secretMatches(parsed.secret, row.secretHash)) return;
  await revokeFamily(ctx.db, row.familyId, 'logout');
}
