import { ValidationError } from './errors.js';

/**
 * An offset cursor, for lists whose order is not a stable key (ranked search, last-watched history):
 * a keyset on `seq` would not follow their order. Opaque to clients, like the keyset cursors.
 */
export function encodeOffsetCursor(offset: number): string {
  return Buffer.from(`s1:${offset}`).toString('base64url');
}

/** The offset a cursor points at; a cursor that is not ours is a 400 on `cursor`. */
export function decodeOffsetCursor(cursor: string): number {
  const match = /^s1:(\d{1,6})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new ValidationError([{ path: 'cursor', message: 'This cursor is not valid' }]);
  return Number(match[1]);
}

/** Where a page starts: the cursor when given (it wins, ADR 0015), else PeerTube's `start`. */
export function pageOffset(query: { start: number; cursor?: string | undefined }): number {
  return query.cursor ? decodeOffsetCursor(query.cursor) : query.start;
}

/** `{ total, data, nextCursor }` for a page that started at `offset`. */
export function offsetPage<T>(data: T[], total: number, offset: number) {
  const next = offset + data.length;
  return { total, data, nextCursor: next < total && data.length ? encodeOffsetCursor(next) : null };
}
