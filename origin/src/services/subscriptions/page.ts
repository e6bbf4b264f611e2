import { type PageQuery, PageQuerySchema } from '../../../../protocol/api/list.js';
import { decodeCursor } from '../videos/read.js';

/**
 * How to fetch one page of a list ordered by a descending sequence (ADR 0015): after the
 * cursor's sequence when one is given, else from the offset `start`; one row more than `count`
 * tells whether there is a next page (`seqPage` cuts it off and makes the next cursor).
 */
export function pageWindow(raw: Partial<PageQuery>) {
  const query = PageQuerySchema.parse(raw);
  return {
    before: query.cursor ? decodeCursor(query.cursor) : undefined,
    offset: query.cursor ? 0 : query.start,
    limit: query.count + 1,
    count: query.count,
  };
}
