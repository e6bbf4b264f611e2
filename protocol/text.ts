/**
 * Text that renders as nothing: whitespace, default-ignorable code points (zero-width space,
 * joiners, word joiner, BOM, soft hyphen, Hangul fillers, variation selectors, tags), controls,
 * other format characters, and the braille blank (U+2800), which is not default-ignorable but
 * draws an empty cell. A name made only of these looks blank in every list it appears in.
 */
const INVISIBLE = /[\s\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2800\u{1D159}]/gu;

/** True when `text` would show nothing, or only blank space, to a reader. */
export function isBlankLooking(text: string): boolean {
  return text.replace(INVISIBLE, '') === '';
}

/**
 * True for a path segment that URL parsers and file systems resolve instead of keeping: `.` and
 * `..`, also percent-encoded (`%2e`, `.%2E`). A handle is used as a URL path segment, so it must
 * never be one of them.
 */
export function isDotSegment(segment: string): boolean {
  return /^(?:\.|%2e){1,2}$/i.test(segment);
}
