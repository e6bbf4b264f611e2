import { describe, expect, it } from 'vitest';
import { copyable, describeInit, initLength } from './init-codecs.js';

const text = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
function box(type: string, ...body: number[][]): number[] {
  const content = body.flat();
  const size = 8 + content.length;
  return [
    (size >>> 24) & 255,
    (size >>> 16) & 255,
    (size >>> 8) & 255,
    size & 255,
    ...text(type),
    ...content,
  ];
}
const avc1 = (w: number, h: number) =>
  box(
    'avc1',
    new Array(24).fill(0),
    [w >> 8, w & 255, h >> 8, h & 255],
    new Array(50).fill(0),
    box('avcC', [1, 0x64, 0, 0x1f]),
  );
const mp4a = (objectType: number) =>
  box(
    'mp4a',
    new Array(28).fill(0),
    box(
      'esds',
      [0, 0, 0, 0],
      [0x03, 0x80, 0x80, 0x80, 20, 0, 1, 0],
      [0x04, 0x80, 0x80, 0x80, 12, objectType],
    ),
  );
const init = (...entries: number[][]) =>
  Uint8Array.from([
    ...box('ftyp', text('isomiso2avc1mp41')),
    ...box('moov', box('stsd', [0, 0, 0, 0], ...entries)),
  ]);

describe('reading the init segment of a live source', () => {
  it('sees H.264 with AAC, its size and its codecs, and lets it be copied', () => {
    const soun = text('soun');
    const facts = describeInit(init(avc1(320, 180), soun, mp4a(0x40)));
    expect(facts).toEqual({
      video: 'avc1.64001f',
      audio: 'aac',
      width: 320,
      height: 180,
      codecs: 'avc1.64001f,mp4a.40.2',
    });
    expect(copyable(facts)).toBe(true);
  });

  it('copies video without audio, but not MP3 audio nor video that is not H.264', () => {
    expect(copyable(describeInit(init(avc1(640, 360))))).toBe(true);
    expect(describeInit(init(avc1(640, 360), text('soun'), mp4a(0x6b))).audio).toBe('other');
    expect(copyable(describeInit(init(avc1(640, 360), text('soun'), mp4a(0x6b))))).toBe(false);
    // `avc1` as an ftyp brand is not an H.264 track.
    expect(copyable(describeInit(init(box('hvc1', new Array(40).fill(0)))))).toBe(false);
  });

  it('knows where the init ends once the moov is complete', () => {
    const bytes = init(avc1(320, 180));
    const withFragment = Uint8Array.from([...bytes, ...box('moof', [1, 2, 3])]);
    expect(initLength(withFragment)).toBe(bytes.length);
    expect(initLength(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
    expect(initLength(bytes.subarray(0, 5))).toBeUndefined();
  });
});
