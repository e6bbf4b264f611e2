import { and, desc, eq, lt, ne } from 'drizzle-orm';
import { jobs, videos } from '../../../../db/schema/index.js';
import {
  type ListCleanupsQuery,
  ListCleanupsQuerySchema,
  type PendingCleanup,
  type PendingCleanupPage,
} from '../../../../protocol/api/cleanup.js';
import { JOB_KINDS } from '../../../../protocol/runner.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { ForbiddenError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { decodeCursor, seqPage } from '../videos/read.js';

/**
 * Deleted videos whose cleanup has not succeeded yet (waiting, running, or out of attempts),
 * most recently created video first, keyset-paginated on the video's insertion sequence. Admins only.
 */
export async function listPendingCleanups(
  ctx: ServiceContext,
  viewer: Viewer,
  rawQuery: ListCleanupsQuery,
): Promise<PendingCleanupPage> {
  if (viewer.role !== 'admin') throw new ForbiddenError('Only an admin can see pending cleanups');
  const query = ListCleanupsQuerySchema.parse(rawQuery);
  const conditions = [eq(jobs.kind, JOB_KINDS.cleanup), ne(jobs.state, 'succeeded')];
  if (query.cursor) conditions.push(lt(videos.seq, decodeCursor(query.cursor)));
  const rows = await ctx.db
    .select({ job: jobs, seq: videos.seq, deletedAt: videos.deletedAt })
    .from(jobs)
    .innerJoin(videos, eq(videos.id, jobs.videoId))
    .where(and(...conditions))
    .orderBy(desc(videos.seq))
    .limit(query.limit + 1);
  const { page, nextCursor } = seqPage(rows, query.limit, (row) => row.seq);
  return { items: page.map(({ job, deletedAt }) => toPendingCleanup(job, deletedAt)), nextCursor };
}

function toPendingCleanup(job: typeof jobs.$inferSelect, deletedAt: Date | null): PendingCleanup {
  return {
    videoId: job.videoId as string,
    deletedAt: deletedAt?.toISOString() ?? null,
    state: job.state as PendingCleanup['state'],
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    lastError: job.error,
    nextAttemptAt: job.state === 'pending' ? job.runAfter.toISOString() : null,
  };
}
