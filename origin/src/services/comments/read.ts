import { and, asc, count, desc, eq, gt, isNull, or, type SQL, sql } from 'drizzle-orm';
import { videoComments } from '../../../../db/schema/index.js';
import {
  type CommentDto,
  type CommentSort,
  type CommentTreeDto,
  type ListCommentThreadsQuery,
  ListCommentThreadsQuerySchema,
} from '../../../../protocol/api/comments.js';
import type { Page } from '../../../../protocol/api/list.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { readDb } from '../read-db.js';
import type { VideoViewRequest } from '../videos/read.js';
import { instanceBase } from '../videos/serialize.js';
import { openCommentScope } from './context.js';
import { type CommentRecord, selectComments, toRecord, visibleTo } from './query.js';
import { toCommentDto } from './serialize.js';

/** The column each sort orders by (then by id, so the order is total), and its direction. */
/**
 * Newest and oldest sort on `id + 0`, not `id`: ordered by the bare id, PostgreSQL walks the whole
 * primary key backwards (it assumes a video's comments are spread over it evenly) and takes 18 ms
 * to find the threads of a video whose comments are old (bench/api, 100k comments); with the
 * expression it reads the video's roots from their index and sorts them: 0.8 ms. The cost then
 * grows with the video's own thread count, never with the table.
 */
const BY_ID = sql`(${videoComments.id} + 0)`;
const SORTS: Record<CommentSort, { key: SQL | typeof videoComments.id; descending: boolean }> = {
  '-createdAt': { key: BY_ID, descending: true },
  createdAt: { key: BY_ID, descending: false },
  '-totalReplies': { key: sql`${videoComments.replyCount}`, descending: true },
  '-likes': { key: sql`${videoComments.likeCount}`, descending: true },
};

/** Keyset cursor: the sort value and id of the last thread served. */
export function encodeCommentCursor(value: number, id: number): string {
  return Buffer.from(`c1:${value}:${id}`).toString('base64url');
}

export function decodeCommentCursor(cursor: string): { value: number; id: number } {
  const match = /^c1:(\d{1,15}):(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new ValidationError([{ path: 'cursor', message: 'This cursor is not valid' }]);
  return { value: Number(match[1]), id: Number(match[2]) };
}

function sortValue(sort: CommentSort, record: CommentRecord): number {
  if (sort === '-totalReplies') return record.replyCount;
  if (sort === '-likes') return record.likeCount;
  return record.id;
}

/**
 * A video's thread roots the caller may see. A deleted root stays listed as a tombstone while
 * replies hang under it. Paged by `cursor` (keyset) or `start` (offset), per ADR 0015.
 */
export async function listCommentThreads(
  ctx: ServiceContext,
  request: VideoViewRequest,
  rawQuery: ListCommentThreadsQuery,
): Promise<Page<CommentDto>> {
  const query = ListCommentThreadsQuerySchema.parse(rawQuery);
  const scope = await openCommentScope(ctx, request);
  const conditions = and(
    eq(videoComments.videoId, scope.video.video.id),
    isNull(videoComments.threadId),
    or(isNull(videoComments.deletedAt), gt(videoComments.replyCount, 0)),
    visibleTo(scope.reader),
  );
  const { key, descending } = SORTS[query.sort];
  const paged: SQL[] = [];
  if (query.cursor) {
    const after = decodeCommentCursor(query.cursor);
    paged.push(
      descending
        ? sql`(${key}, ${videoComments.id}) < (${after.value}, ${after.id})`
        : sql`(${key}, ${videoComments.id}) > (${after.value}, ${after.id})`,
    );
  }
  const order = descending ? [desc(key), desc(videoComments.id)] : [asc(key), asc(videoComments.id)];
  // Anonymous pages may trail by the replica's lag; a signed-in reader may have just commented.
  const db = scope.reader.viewer ? ctx.db : readDb(ctx);
  const [rows, [counted]] = await Promise.all([
    selectComments(db, scope.reader)
      .where(and(conditions, ...paged))
      .orderBy(...order)
      .limit(query.count + 1)
      .offset(query.cursor ? 0 : query.start),
    db.select({ total: count() }).from(videoComments).where(conditions),
  ]);
  const records = rows.map(toRecord);
  const page = records.slice(0, query.count);
  const last = page.at(-1);
  return {
    total: counted?.total ?? 0,
    data: page.map((record) => toCommentDto(record, scope.video.video, instanceBase(ctx).host)),
    nextCursor:
      records.length > query.count && last ? encodeCommentCursor(sortValue(query.sort, last), last.id) : null,
  };
}

/** A thread: its root and every reply the caller may see, nested, oldest first. */
export async function getCommentThread(
  ctx: ServiceContext,
  request: VideoViewRequest,
  threadId: number,
): Promise<CommentTreeDto> {
  const scope = await openCommentScope(ctx, request);
  const rows = await selectComments(ctx.db, scope.reader)
    .where(
      and(
        eq(videoComments.videoId, scope.video.video.id),
        or(
          and(eq(videoComments.id, threadId), isNull(videoComments.threadId)),
          eq(videoComments.threadId, threadId),
        ),
        visibleTo(scope.reader),
      ),
    )
    .orderBy(asc(videoComments.id));
  const nodes = new Map<number, CommentTreeDto>();
  for (const record of rows.map(toRecord)) {
    nodes.set(record.id, {
      comment: toCommentDto(record, scope.video.video, instanceBase(ctx).host),
      children: [],
    });
  }
  const root = nodes.get(threadId);
  if (!root) throw new NotFoundError('Comment thread');
  for (const node of nodes.values()) {
    const parentId = node.comment.inReplyToCommentId;
    // A reply under a comment the caller may not see (muted, held) goes with it.
    if (parentId !== null) nodes.get(parentId)?.children.push(node);
  }
  return root;
}
