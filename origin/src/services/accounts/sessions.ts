import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { refreshTokenFamilies, refreshTokens } from '../../../../db/schema/index.js';
import type { SessionDto } from '../../../../protocol/api/accounts.js';
import { mintAccessToken } from '../../auth/access-tokens.js';
import type { ServiceContext } from '../context.js';
import { toUserDto, type UserRow } from './users.js';

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('base64url');

/** Refresh tokens look like `<row id>.<secret>`; only a hash of the secret is stored. */
export function parseRefreshToken(token: string): { id: string; secret: string } | undefined {
  const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return match ? { id: match[1] as string, secret: match[2] as string } : undefined;
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Store a new refresh token in `familyId` and return its wire form. */
export async function issueRefreshToken(
  ctx: ServiceContext,
  tx: Executor,
  familyId: string,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const secret = randomBytes(32).toString('base64url');
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
