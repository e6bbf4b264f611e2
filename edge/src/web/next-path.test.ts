import { describe, expect, it } from 'vitest';
import { safeNext } from './next-path.js';

// Defends: `next` redirected off-site (`/\t/evil.example/`) or answered 500 on CR/LF (issue 9, 4).
const SITE = 'https://video.example.com';

describe('safeNext', () => {
  it.each([
    '/\t/evil.example/',
    '/\\evil.example/',
    '\\\\evil.example',
    '//evil.example/',
    '///evil.example/',
    'https://evil.example/',
    'HTTPS://evil.example/',
    'https://video.example.com.evil.example/',
    '/x\r\nSet-Cookie:a=1',
    '/x%0d%0aSet-Cookie:a=1',
    '%2F%2Fevil.example',
    '/%2F/evil.example',
    '/%5Cevil.example',
    '/%255Cevil.example',
    '/%09/evil.example',
    'javascript:alert(1)',
    ' /x',
    '/\u0000x',
    '/\u0085x',
    'watch/abc',
    '',
    `/${'a'.repeat(3000)}`,
  ])('refuses %j and falls back', (value) => {
    expect(safeNext(value, SITE)).toBe('/');
    expect(safeNext(value, SITE, '/channels/new')).toBe('/channels/new');
  });

  it.each([undefined, null, 42, ['/x'], { a: 1 }])('falls back for a non-string %j', (value) => {
    expect(safeNext(value, SITE)).toBe('/');
  });

  it.each([
    ['/', '/'],
    ['/watch/abc?t=1', '/watch/abc?t=1'],
    ['/w/abc#t=30', '/w/abc#t=30'],
    ['/upload', '/upload'],
    ['/c/some.handle', '/c/some.handle'],
    ['/search?q=two%20words', '/search?q=two%20words'],
    // Dot segments resolve inside the site; the result is still a plain same-origin path.
    ['/a/../b', '/b'],
    ['/vidéo', '/vid%C3%A9o'],
  ])('keeps the same-origin path %j', (value, expected) => {
    expect(safeNext(value, SITE)).toBe(expected);
  });
});
