import { describe, expect, it } from 'vitest';
import { CreateChannelInputSchema, HandleSchema } from '../../protocol/api/channels.js';
import { CreateVideoInputSchema, UpdateVideoInputSchema } from '../../protocol/api/videos.js';
import { isBlankLooking, isDotSegment } from '../../protocol/text.js';

// Defends: a channel handle `..` and a title of one zero-width space were accepted (issue 9).
const INVISIBLE: Array<[string, string]> = [
  ['zero-width space U+200B', '\u200b'],
  ['zero-width non-joiner U+200C', '\u200c'],
  ['zero-width joiner U+200D', '\u200d'],
  ['left-to-right mark U+200E', '\u200e'],
  ['right-to-left override U+202E', '\u202e'],
  ['word joiner U+2060', '\u2060'],
  ['invisible times U+2062', '\u2062'],
  ['byte order mark U+FEFF', '\ufeff'],
  ['soft hyphen U+00AD', '\u00ad'],
  ['combining grapheme joiner U+034F', '\u034f'],
  ['Hangul choseong filler U+115F', '\u115f'],
  ['Hangul jungseong filler U+1160', '\u1160'],
  ['Hangul filler U+3164', '\u3164'],
  ['halfwidth Hangul filler U+FFA0', '\uffa0'],
  ['braille blank U+2800', '\u2800'],
  ['Mongolian vowel separator U+180E', '\u180e'],
  ['variation selector-16 U+FE0F', '\ufe0f'],
  ['tag letter A U+E0041', '\u{e0041}'],
  ['no-break space U+00A0', '\u00a0'],
  ['ideographic space U+3000', '\u3000'],
  ['em space U+2003', '\u2003'],
  ['line separator U+2028', '\u2028'],
  ['tab', '\t'],
  ['NUL', '\u0000'],
  ['bell', '\u0007'],
];

describe('isBlankLooking', () => {
  it.each(INVISIBLE)('treats a lone %s as blank', (_name, char) => {
    expect(isBlankLooking(char)).toBe(true);
    expect(isBlankLooking(char.repeat(5))).toBe(true);
    expect(isBlankLooking(` ${char} `)).toBe(true);
  });

  it('treats the empty string and any mix of invisible characters as blank', () => {
    expect(isBlankLooking('')).toBe(true);
    expect(isBlankLooking(INVISIBLE.map(([, c]) => c).join(''))).toBe(true);
  });

  it.each([
    ['a letter', 'a'],
    ['a digit', '7'],
    ['a dot', '.'],
    ['an accented letter', 'é'],
    ['a lone combining accent (draws a mark)', '\u0301'],
    ['an emoji', '🎬'],
    ['an emoji with ZWJ', '👩\u200d💻'],
    ['CJK', '動画'],
    ['text wrapped in zero-width spaces', '\u200bMy video\u200b'],
  ])('keeps %s', (_name, text) => {
    expect(isBlankLooking(text)).toBe(false);
  });
});

describe('isDotSegment', () => {
  it.each(['.', '..', '%2e', '%2E', '.%2e', '%2e%2E', '%2e.'])('refuses %s', (segment) => {
    expect(isDotSegment(segment)).toBe(true);
  });
  it.each(['...', '.a', 'a.', 'a..b', '.hidden', '', '%2', '%2e%2e%2e'])('allows %s', (segment) => {
    expect(isDotSegment(segment)).toBe(false);
  });
});

function fieldErrors(result: {
  success: boolean;
  error?: { issues: Array<{ path: PropertyKey[]; message: string }> };
}) {
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
}
const pathsOf = (errors: Array<{ path: string }>) => [...new Set(errors.map((e) => e.path))];

describe('handles', () => {
  it.each(['.', '..', '...', '--', '_.', '.-_'])('refuse %j with a message on handle', (handle) => {
    const errors = fieldErrors(CreateChannelInputSchema.safeParse({ handle, displayName: 'Mine' }));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.path === 'handle')).toBe(true);
  });

  it('says why `..` is refused', () => {
    const errors = fieldErrors(HandleSchema.safeParse('..'));
    expect(errors.map((e) => e.message)).toContain('A handle cannot be . or ..');
  });

  it.each(['ab', 'my.channel', 'a-b_c', '.dotfirst', 'x..y'])('accept %j', (handle) => {
    expect(HandleSchema.safeParse(handle).success).toBe(true);
  });
});

describe('titles and display names', () => {
  const channelId = '00000000-0000-4000-8000-000000000000';
  it.each(INVISIBLE)('refuse a title of a lone %s', (_name, char) => {
    const errors = fieldErrors(CreateVideoInputSchema.safeParse({ channelId, title: char }));
    expect(pathsOf(errors)).toEqual(['title']);
    expect(fieldErrors(UpdateVideoInputSchema.safeParse({ title: `${char}${char}` }))[0]?.path).toBe('title');
  });

  it.each(INVISIBLE)('refuse a display name of a lone %s', (_name, char) => {
    const errors = fieldErrors(
      CreateChannelInputSchema.safeParse({ handle: 'fine_handle', displayName: char }),
    );
    expect(pathsOf(errors)).toEqual(['displayName']);
  });

  it('accept visible text, trimmed', () => {
    const parsed = CreateVideoInputSchema.parse({ channelId, title: '  \u200bHello  ' });
    expect(parsed.title).toBe('\u200bHello');
  });
});
