/**
 * Where a form or a sign-in page may send the browser next (`next=`): a path on this very site,
 * or the fallback. Anything else is an open redirect (issue 9, 4).
 *
 * The value is parsed with the WHATWG URL parser against the site's own origin, as the browser
 * will parse the `Location` header, and must come out same-origin. Before that, what browsers
 * strip or reinterpret is refused outright rather than cleaned up: control characters (a tab
 * inside `/\t/evil.example/` is dropped, leaving `//evil.example/`; CR/LF would split the header),
 * backslashes (read as `/` in special URLs) and their percent-encoded forms, which a second
 * decoding step somewhere on the way could turn back into the real thing.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f-\u009f\\]/;
const ENCODED_SEPARATOR_OR_CONTROL = /%(?:[01][0-9a-f]|7f|2f|5c|25)/i;
const MAX_LENGTH = 2048;

/** A same-origin path (with query and fragment) from `value`, or `fallback`. Never throws. */
export function safeNext(value: unknown, siteOrigin: string, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  if (CONTROL_OR_BACKSLASH.test(value) || ENCODED_SEPARATOR_OR_CONTROL.test(value)) return fallback;
  // Only a path: not a scheme (`javascript:`), not a network path (`//host`), not a relative one.
  if (!value.startsWith('/') || value.startsWith('//')) return fallback;
  let url: URL;
  try {
    url = new URL(value, siteOrigin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(siteOrigin).origin) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
