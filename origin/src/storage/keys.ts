import { InvalidKeyError } from './errors.js';

/** Longest key we accept; well under S3's 1024 UTF-8 bytes and Linux's 4096-byte paths. */
export const MAX_KEY_LENGTH = 512;
/** Most filesystems cap one path segment at 255 bytes; S3 does not, so we enforce it for both. */
const MAX_SEGMENT_BYTES = 255;
// Control characters break HTTP headers, log lines and XML 1.0 (S3 list responses).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

const encoder = new TextEncoder();

/**
 * Check that `key` is a relative, `/`-separated path with no way to climb out of its root: no `..`
 * or `.` segments, no leading `/`, no backslashes, no empty segments, no control characters, at most
 * 512 characters. Returns the key unchanged so it can be used inline; throws `InvalidKeyError`.
 * `.` segments are refused too because URL parsers and `path.resolve` silently drop them, which
 * would make two spellings name one object.
 */
export function validateKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidKeyError(String(key), 'empty');
  if (key.length > MAX_KEY_LENGTH) throw new InvalidKeyError(key, `longer than ${MAX_KEY_LENGTH} characters`);
  if (key.startsWith('/')) throw new InvalidKeyError(key, 'must be relative (no leading "/")');
  if (key.includes('\\')) throw new InvalidKeyError(key, 'backslashes are not allowed');
  if (CONTROL_CHARS.test(key)) throw new InvalidKeyError(key, 'control characters are not allowed');
  for (const segment of key.split('/')) {
    if (segment === '') throw new InvalidKeyError(key, 'empty segment (leading, trailing or double "/")');
    if (segment === '.' || segment === '..')
      throw new InvalidKeyError(key, `"${segment}" segments are not allowed`);
    if (encoder.encode(segment).length > MAX_SEGMENT_BYTES) {
      throw new InvalidKeyError(key, `a segment is longer than ${MAX_SEGMENT_BYTES} bytes`);
    }
  }
  return key;
}

/**
 * Check a `list` prefix: `''` (everything), a complete key path ending in `/`, or a partial one
 * such as `videos/ab` (which also matches `videos/abc/...`, as in S3).
 */
export function validatePrefix(prefix: string): string {
  if (prefix === '') return prefix;
  // A prefix is valid when some key could start with it; appending a character tests exactly that.
  validateKey(prefix.endsWith('/') ? `${prefix}x` : prefix);
  return prefix;
}

/** Check a `deletePrefix` prefix: a valid key path that ends with `/`, so it names one "folder". */
export function validateDeletePrefix(prefix: string): string {
  if (!prefix.endsWith('/')) {
    throw new InvalidKeyError(prefix, 'a delete prefix must be non-empty and end with "/"');
  }
  validateKey(prefix.slice(0, -1));
  return prefix;
}

/** Percent-encode each segment so keys with spaces or `?` survive the URL; `/` stays readable. */
export function encodeKeyPath(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}
