/** PeerTube's reorder request, positions 1-based; `insertAfterPosition` 0 means to the front. */
export interface ReorderMove {
  startPosition: number;
  insertAfterPosition: number;
  reorderLength: number;
}

/**
 * The new order of a playlist's elements (given in position order) after moving the block of
 * `reorderLength` elements at `startPosition` to after `insertAfterPosition` (counted in the old
 * order), or the reason the move is impossible. Pure, so every edge is unit-tested.
 */
export function reorder<T>(elements: readonly T[], move: ReorderMove): { order: T[] } | { error: string } {
  const { startPosition: start, insertAfterPosition: after, reorderLength: length } = move;
  const end = start + length - 1;
  if (start < 1 || end > elements.length)
    return { error: 'The positions to move are past the end of the playlist' };
  if (after < 0 || after > elements.length)
    return { error: 'insertAfterPosition is past the end of the playlist' };
  if (after >= start && after < end) return { error: 'Cannot move elements to after one of themselves' };
  const block = elements.slice(start - 1, end);
  const rest = [...elements.slice(0, start - 1), ...elements.slice(end)];
  const at = after < start ? after : after - length;
  return { order: [...rest.slice(0, at), ...block, ...rest.slice(at)] };
}
