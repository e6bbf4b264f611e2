import { SEARCH_MAX_WORDS } from '../../../../protocol/api/search.js';

/**
 * The `to_tsquery` text for what a user typed: every word becomes a quoted prefix (`'etu':*`), all
 * of them required. Words are runs of letters and digits, so quotes, `&`, `!`, `:` and the like never
 * reach the tsquery parser; accents and case are folded in SQL (`vidra_fold`) on both sides.
 * Returns null when nothing searchable is left.
 */
export function prefixTsquery(input: string): string | null {
  const words = input.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  const kept = words.slice(0, SEARCH_MAX_WORDS).map((word) => word.slice(0, 64));
  return kept.length ? kept.map((word) => `'${word}':*`).join(' & ') : null;
}
