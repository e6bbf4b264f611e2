import { ValidationError } from '../../lib/errors.js';

// Blocklists are short and ordered by time; an offset cursor is enough for them (ADR 0015, comments).

/** Opaque cursor for lists paged by offset. */
export function encodeOffsetCursor(offset: number): string {
  return Buffer.from(`o1:${offset}`).toString('base64url');
}

export function decodeOffsetCursor(cursor: string): number {
  const match = /^o1:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new ValidationError([{ path: 'cursor', message: 'This cursor is not valid' }]);
  return Number(match[1]);
}
