import { describe, expect, it } from 'vitest';
import { decodeOffsetCursor, encodeOffsetCursor } from '../../lib/offset-cursor.js';
import { prefixTsquery } from './terms.js';

describe('prefixTsquery', () => {
  it('turns each word into a required prefix', () => {
    expect(prefixTsquery('Étude  piano')).toBe("'Étude':* & 'piano':*");
    expect(prefixTsquery('ETU')).toBe("'ETU':*");
  });
  it('never lets tsquery syntax through', () => {
    expect(prefixTsquery("a' | b:* & !c <-> (d)")).toBe("'a':* & 'b':* & 'c':* & 'd':*");
    expect(prefixTsquery("'); drop table videos; --")).toBe("'drop':* & 'table':* & 'videos':*");
  });
  it('answers null when nothing is searchable', () => {
    expect(prefixTsquery('')).toBeNull();
    expect(prefixTsquery(' !?* ')).toBeNull();
  });
  it('keeps at most 8 words of at most 64 characters', () => {
    expect(prefixTsquery('a b c d e f g h i j')?.split(' & ')).toHaveLength(8);
    expect(prefixTsquery('x'.repeat(100))).toBe(`'${'x'.repeat(64)}':*`);
  });
});

describe('offset cursor', () => {
  it('round-trips an offset and refuses anything else', () => {
    expect(decodeOffsetCursor(encodeOffsetCursor(30))).toBe(30);
    expect(() => decodeOffsetCursor('nope')).toThrow('not valid');
  });
});
