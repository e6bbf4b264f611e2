import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { refreshTokenFamilies, refreshTokens } from '../../../../db/schema/index.js';
import type { SessionDto } from '../../../../protocol/api/accounts.js';
import { mintAccessToken } from '../../auth/access-tokens.js';
import { hashSecret, newSecret } from '../../auth/opaque-tokens.js';
import type { ServiceContext } from '../context.js';
import { toUserDto, type UserRow } from './users.js';

/** Store a new refresh token in `familyId` and return its wire form. */
export async function issueRefreshToken(
  ctx: ServiceContext,
  tx: Executor,
  familyId: string,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const secret = newSecret();
  const expiresAt = new Date(now.getTime() + ctx.config.refreshTokenTtlSeconds * 1000);
  const [row] = await tx
    .insert(refreshTokens)
    .values({ familyId, secretHash: hashSecret(secret), expiresAt })
    .returning({ id: refreshTokens.id });
  return { token: `${row?.id}.${secret}`, expiresAt };
}

/** Begin a sign-in: a new refresh-token family plus a fresh access token. */
export async function startSession(
  ctx: ServiceContext,
  user: UserRow,
  now = new Date(),
): Promise<SessionDto> {
  const refresh = await ctx.db.transaction(async (tx) => {
    const [family] = await tx
      .insert(refreshTokenFamilies)
      .values({ userId: user.id })
      .returning({ id: refreshTokenFamilies.id });
    return issueRefreshToken(ctx, tx, family?.id as string, now);
  });
  return sessionFor(ctx, user, refresh, now);
}

export async function sessionFor(
  ctx: ServiceContext,
  user: UserRow,
  refresh: { token: string; expiresAt: Date },
  now: Date,
): Promise<SessionDto> {
  const access = await mintAccessToken(
    ctx.keys,
    { userId: user.id, role: user.role, username: user.username },
    ctx.config.accessTokenTtlSeconds,
    now,
  );
  return {
    user: toUserDto(user),
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt.toISOString(),
    refreshToken: refresh.token,
    refreshTokenExpiresAt: refresh.expiresAt.toISOString(),
  };
}

/** Revoke a whole family, e.g. on logout or when a rotated-away token is replayed. */
export async function revokeFamily(tx: Executor, familyId: string, reason: string, now = new Date()) {
  await tx
    .update(refreshTokenFamilies)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(refreshTokenFamilies.id, familyId), isNull(refreshTokenFamilies.revokedAt)));
}
