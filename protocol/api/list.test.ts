import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PageQuerySchema, pageOf } from './list.js';

describe('PageQuerySchema', () => {
  it('defaults to the first 15, like PeerTube', () => {
    expect(PageQuerySchema.parse({})).toEqual({ start: 0, count: 15 });
  });
  it('coerces query strings and keeps a cursor', () => {
    expect(PageQuerySchema.parse({ start: '30', count: '10', cursor: 'abc' })).toEqual({
      start: 30,
      count: 10,
      cursor: 'abc',
    });
  });
  it('refuses counts past 100 and negative starts', () => {
    expect(PageQuerySchema.safeParse({ count: '101' }).success).toBe(false);
    expect(PageQuerySchema.safeParse({ start: '-1' }).success).toBe(false);
  });
});

describe('pageOf', () => {
  it('is the { total, data, nextCursor } envelope', () => {
    const page = pageOf(z.object({ id: z.number() }));
    expect(page.parse({ total: 1, data: [{ id: 1 }], nextCursor: null })).toEqual({
      total: 1,
      data: [{ id: 1 }],
      nextCursor: null,
    });
    expect(page.safeParse({ data: [], nextCursor: null }).success).toBe(false);
  });
});
