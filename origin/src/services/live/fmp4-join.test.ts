import { describe, expect, it } from 'vitest';
import { Fmp4JoinError, Fmp4Joiner, readInitTracks } from './fmp4-join.js';

const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const box = (type: string, ...payload: number[][]): number[] => {
  const body = payload.flat();
  return [...u32(body.length + 8), ...[...type].map((c) => c.charCodeAt(0)), ...body];
};
const full = (version: number, flags: number) => [
  version,
  (flags >>> 16) & 255,
  (flags >>> 8) & 255,
  flags & 255,
];

/** ftyp + moov with one video track (id 1, timescale 1000) whose trex default duration is 40. */
const INIT = Uint8Array.from([
  ...box('ftyp', [...'isom'.split('').map((c) => c.charCodeAt(0)), 0, 0, 0, 0]),
  ...box(
    'moov',
    box(
      'trak',
      box('tkhd', full(0, 3), u32(0), u32(0), u32(1)),
      box(
        'mdia',
        box('mdhd', full(0, 0), u32(0), u32(0), u32(1000)),
        box(
          'hdlr',
          full(0, 0),
          u32(0),
          [...'vide'].map((c) => c.charCodeAt(0)),
        ),
      ),
    ),
    box('mvex', box('trex', full(0, 0), u32(1), u32(1), u32(40), u32(0), u32(0))),
  ),
]);

/** One fragment of track 1 at `decodeTime` with `samples` samples of the default 40 ms. */
const fragment = (decodeTime: number, samples = 25) => [
  ...box(
    'moof',
    box(
      'traf',
      box('tfhd', full(0, 0x020000), u32(1)),
      box('tfdt', full(0, 0), u32(decodeTime)),
      box('trun', full(0, 0), u32(samples)),
    ),
  ),
  ...box('mdat', [1, 2, 3]),
];
const tfdtOf = (bytes: Uint8Array) => {
  const at = Buffer.from(bytes).indexOf('tfdt') + 8;
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(at);
};

describe('Fmp4Joiner', () => {
  it('reads track timescales and default durations from the init', () => {
    expect(readInitTracks(INIT).get(1)).toEqual({ timescale: 1000, defaultDuration: 40, video: true });
  });

  it('keeps a continuous run as it is and moves a restarted run onto the end of the timeline', () => {
    const joiner = new Fmp4Joiner(INIT);
    expect(tfdtOf(joiner.append(Uint8Array.from(fragment(0))))).toBe(0);
    const second = Uint8Array.from(fragment(1000));
    expect(joiner.startsNewRun(second)).toBe(false);
    expect(tfdtOf(joiner.append(second))).toBe(1000);
    // A new FFmpeg: media time starts at 0 again.
    const restarted = Uint8Array.from(fragment(0));
    expect(joiner.startsNewRun(restarted)).toBe(true);
    expect(tfdtOf(joiner.append(restarted))).toBe(2000);
    expect(tfdtOf(restarted)).toBe(0); // the input is not modified
    expect(joiner.runs).toBe(2);
    expect(joiner.durationSeconds).toBe(3);
  });

  it('refuses bytes that are not a fragmented MP4', () => {
    expect(() => new Fmp4Joiner(Uint8Array.from(box('free', [0])))).toThrow(Fmp4JoinError);
    const joiner = new Fmp4Joiner(INIT);
    expect(() => joiner.append(Uint8Array.from([0, 0, 0, 99, 109, 111, 111, 102]))).toThrow(Fmp4JoinError);
  });
});
