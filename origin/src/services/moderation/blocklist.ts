import { and, count, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { accountBlocks, users } from '../../../../db/schema/index.js';
import type { Page, PageQuery } from '../../../../protocol/api/list.js';
import { PageQuerySchema } from '../../../../protocol/api/list.js';
import {
  type BlockAccountInput,
  BlockAccountInputSchema,
  type BlockedAccountDto,
} from '../../../../protocol/api/moderation.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import { accountSummary } from '../comments/serialize.js';
import type { ServiceContext } from '../context.js';
import { decodeOffsetCursor, encodeOffsetCursor } from './cursor.js';

/** A local account by its name (case-insensitive), or 404. `name@host` finds local names only. */
export async function findAccountByName(ctx: ServiceContext, accountName: string) {
  const name = accountName.split('@')[0] ?? '';
  const [user] = await ctx.db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(sql`lower(${users.username}) = ${name.toLowerCase()}`);
  if (!user) throw new NotFoundError('Account');
  return user;
}

/**
 * Mute (`block: false`) or block an account. Both hide its comments from the caller; a block also
 * stops it commenting on the caller's videos. Doing it again switches between the two.
 */
export async function blockAccount(ctx: ServiceContext, viewer: Viewer, rawInput: BlockAccountInput) {
  const input = BlockAccountInputSchema.parse(rawInput);
  const target = await findAccountByName(ctx, input.accountName);
  if (target.id === viewer.userId) throw new ConflictError('You cannot block or mute yourself');
  await ctx.db
    .insert(accountBlocks)
    .values({ ownerId: viewer.userId, targetId: target.id, blocked: input.block })
    .onConflictDoUpdate({
      target: [accountBlocks.ownerId, accountBlocks.targetId],
      set: { blocked: input.block },
    });
}

/** Lift a mute or block. */
export async function unblockAccount(ctx: ServiceContext, viewer: Viewer, accountName: string) {
  const target = await findAccountByName(ctx, accountName);
  const removed = await ctx.db
    .delete(accountBlocks)
    .where(and(eq(accountBlocks.ownerId, viewer.userId), eq(accountBlocks.targetId, target.id)))
    .returning({ targetId: accountBlocks.targetId });
  if (!removed.length) throw new NotFoundError('Account in your blocklist');
}

/** The caller's muted and blocked accounts, newest first. */
export async function listBlockedAccounts(
  ctx: ServiceContext,
  viewer: Viewer,
  rawQuery: Partial<PageQuery>,
): Promise<Page<BlockedAccountDto>> {
  const query = PageQuerySchema.parse(rawQuery);
  const start = query.cursor ? decodeOffsetCursor(query.cursor) : query.start;
  const target = alias(users, 'target');
  const mine = eq(accountBlocks.ownerId, viewer.userId);
  const [rows, [counted]] = await Promise.all([
    ctx.db
      .select({ block: accountBlocks, target: { id: target.id, username: target.username } })
      .from(accountBlocks)
      .innerJoin(target, eq(target.id, accountBlocks.targetId))
      .where(mine)
      .orderBy(desc(accountBlocks.createdAt), desc(accountBlocks.targetId))
      .limit(query.count + 1)
      .offset(start),
    ctx.db.select({ total: count() }).from(accountBlocks).where(mine),
  ]);
  const byAccount = accountSummary({ id: viewer.userId, username: viewer.username });
  return {
    total: counted?.total ?? 0,
    data: rows.slice(0, query.count).map((row) => ({
      byAccount,
      blockedAccount: accountSummary(row.target),
      blocked: row.block.blocked,
      createdAt: row.block.createdAt.toISOString(),
    })),
    nextCursor: rows.length > query.count ? encodeOffsetCursor(start + query.count) : null,
  };
}
