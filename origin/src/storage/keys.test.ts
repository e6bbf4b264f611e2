import { describe, expect, it } from 'vitest';
import { InvalidKeyError } from './errors.js';
import { validateDeletePrefix, validateKey, validatePrefix } from './keys.js';

describe('validateKey', () => {
  it.each([
    'sources/0b6c/original',
    'videos/0b6c/hls/master.m3u8',
    'videos/0b6c/hls/720p/seg_00001.m4s',
    'a',
    '.hidden/..dots../x.y',
    `a/${'é'.repeat(127)}`,
    `${'x'.repeat(255)}/${'y'.repeat(254)}/z`,
  ])('accepts %s', (key) => {
    expect(validateKey(key)).toBe(key);
  });

  it.each([
    ['', /empty/],
    ['../x', /"\.\." segments/],
    ['a/../../b', /"\.\." segments/],
    ['a/..', /"\.\." segments/],
    ['./a', /"\." segments/],
    ['/abs', /relative/],
    ['a\\b', /backslash/],
    ['a//b', /empty segment/],
    ['a/', /empty segment/],
    ['a\u0000b', /control/],
    ['a\nb', /control/],
    ['x'.repeat(513), /longer than 512/],
    [`a/${'é'.repeat(128)}`, /255 bytes/],
  ])('rejects %j', (key, reason) => {
    expect(() => validateKey(key)).toThrow(InvalidKeyError);
    expect(() => validateKey(key)).toThrow(reason);
  });

  it('keeps the offending key on the error', () => {
    const error = (() => {
      try {
        validateKey('../etc/passwd');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidKeyError);
    expect((error as InvalidKeyError).key).toBe('../etc/passwd');
  });
});

describe('prefixes', () => {
  it('list prefixes may be empty, whole folders or partial names', () => {
    for (const prefix of ['', 'videos/', 'videos/ab', 'videos/ab/'])
      expect(validatePrefix(prefix)).toBe(prefix);
    for (const prefix of ['/', '../', 'a//', 'a/../', '/videos/']) {
      expect(() => validatePrefix(prefix), prefix).toThrow(InvalidKeyError);
    }
  });

  it('delete prefixes must name a folder', () => {
    expect(validateDeletePrefix('videos/ab/')).toBe('videos/ab/');
    for (const prefix of ['', '/', 'videos', 'videos/ab', '../', 'a//', '//']) {
      expect(() => validateDeletePrefix(prefix), prefix).toThrow(InvalidKeyError);
    }
  });
});
