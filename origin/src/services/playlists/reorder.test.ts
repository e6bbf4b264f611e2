import { describe, expect, it } from 'vitest';
import { reorder } from './reorder.js';

const list = ['a', 'b', 'c', 'd', 'e'];
const move = (startPosition: number, insertAfterPosition: number, reorderLength = 1) =>
  reorder(list, { startPosition, insertAfterPosition, reorderLength });

describe('reorder', () => {
  it('moves one element forward, backward, to the front and to the end', () => {
    expect(move(1, 3)).toEqual({ order: ['b', 'c', 'a', 'd', 'e'] });
    expect(move(4, 1)).toEqual({ order: ['a', 'd', 'b', 'c', 'e'] });
    expect(move(3, 0)).toEqual({ order: ['c', 'a', 'b', 'd', 'e'] });
    expect(move(2, 5)).toEqual({ order: ['a', 'c', 'd', 'e', 'b'] });
  });
  it('moves a block, keeping its inner order', () => {
    expect(move(1, 5, 2)).toEqual({ order: ['c', 'd', 'e', 'a', 'b'] });
    expect(move(4, 0, 2)).toEqual({ order: ['d', 'e', 'a', 'b', 'c'] });
    expect(move(2, 4, 2)).toEqual({ order: ['a', 'd', 'b', 'c', 'e'] });
  });
  it('leaves the order alone when the block goes where it already is', () => {
    expect(move(2, 1)).toEqual({ order: list });
    expect(move(2, 2)).toEqual({ order: list });
    expect(move(2, 3, 2)).toEqual({ order: list });
  });
  it('refuses blocks past the end, targets past the end, and targets inside the block', () => {
    expect(move(5, 0, 2)).toHaveProperty('error');
    expect(move(0, 1)).toHaveProperty('error');
    expect(move(1, 6)).toHaveProperty('error');
    expect(move(1, 1, 3)).toHaveProperty('error');
    expect(reorder([], { startPosition: 1, insertAfterPosition: 0, reorderLength: 1 })).toHaveProperty(
      'error',
    );
  });
});
