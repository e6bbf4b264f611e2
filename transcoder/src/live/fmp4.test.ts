import { describe, expect, it } from 'vitest';
import { Fmp4Error, Fmp4Reader, type Fmp4Unit, type FragmentUnit } from './fmp4.js';

// Synthetic ISO-BMFF boxes, just enough of each for the reader.
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const u64 = (n: number) => [...u32(Math.floor(n / 2 ** 32)), ...u32(n >>> 0)];
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const box = (type: string, ...body: number[][]): number[] => {
  const flat = body.flat();
  return [...u32(8 + flat.length), ...ascii(type), ...flat];
};
const full = (version: number, flags: number) => [
  version,
  (flags >>> 16) & 0xff,
  (flags >>> 8) & 0xff,
  flags & 0xff,
];

const SYNC = 0x02000000; // sample_depends_on = 2 (an I-frame)
const NON_SYNC = 0x01010000; // depends on others, sample_is_non_sync_sample

function track(id: number, handler: string, timescale: number): number[] {
  return box(
    'trak',
    box('tkhd', full(0, 3), u32(0), u32(0), u32(id), u32(0), u32(0)),
    box(
      'mdia',
      box('mdhd', full(0, 0), u32(0), u32(0), u32(timescale), u32(0), u32(0)),
      box('hdlr', full(0, 0), u32(0), ascii(handler), u32(0), u32(0), u32(0), [0]),
    ),
  );
}

const ftyp = box('ftyp', ascii('iso5'), u32(512), ascii('iso5'), ascii('iso6'), ascii('mp41'));
const trex = (id: number, duration: number, flags: number) =>
  box('trex', full(0, 0), u32(id), u32(1), u32(duration), u32(0), u32(flags));
/** Audio first, so the reader has to pick the video track by its handler. */
const moov = box(
  'moov',
  box('mvhd', full(0, 0), new Array(96).fill(0)),
  track(2, 'soun', 48000),
  track(1, 'vide', 15360),
  box('mvex', trex(2, 1024, 0), trex(1, 512, NON_SYNC)),
);

/** A traf whose trun lists per-sample durations and sets the first sample's flags. */
function videoTraf(decodeTime: number, durations: number[], firstFlags: number, tfdtVersion = 1): number[] {
  return box(
    'traf',
    box('tfhd', full(0, 0x020000), u32(1)),
    box('tfdt', full(tfdtVersion, 0), tfdtVersion === 1 ? u64(decodeTime) : u32(decodeTime)),
    box(
      'trun',
      full(0, 0x01 | 0x04 | 0x100 | 0x200),
      u32(durations.length),
      u32(0),
      u32(firstFlags),
      ...durations.map((d) => [...u32(d), ...u32(100)]),
    ),
  );
}
/** An audio traf using tfhd defaults, and no first-sample flags. */
const audioTraf = (decodeTime: number) =>
  box(
    'traf',
    box('tfhd', full(0, 0x020000 | 0x08 | 0x20), u32(2), u32(1024), u32(0)),
    box('tfdt', full(1, 0), u64(decodeTime)),
    box('trun', full(0, 0x01 | 0x200), u32(2), u32(0), u32(50), u32(50)),
  );
const fragment = (traf: number[][], payload = 300) => [
  ...box('moof', box('mfhd', full(0, 0), u32(1)), ...traf),
  ...box('mdat', new Array(payload).fill(7)),
];

const stream = Uint8Array.from([
  ...ftyp,
  ...moov,
  ...fragment([audioTraf(0), videoTraf(0, [512, 512, 512, 512, 512, 512], SYNC)]),
  ...fragment([audioTraf(9600), videoTraf(3072, [512, 512, 512, 512, 512, 512], NON_SYNC)]),
]);

function readAll(chunks: Uint8Array[]): Fmp4Unit[] {
  const reader = new Fmp4Reader();
  return chunks.flatMap((chunk) => reader.push(chunk));
}

describe('Fmp4Reader', () => {
  it('yields the init once, then each fragment with its timing from the video track', () => {
    const units = readAll([stream]);
    expect(units.map((u) => u.kind)).toEqual(['init', 'fragment', 'fragment']);
    const [init, first, second] = units as [Fmp4Unit, FragmentUnit, FragmentUnit];
    expect(init).toEqual({
      kind: 'init',
      bytes: Uint8Array.from([...ftyp, ...moov]),
      trackId: 1,
      timescale: 15360,
    });
    expect(first).toMatchObject({
      decodeTime: 0,
      duration: 3072,
      durationSeconds: 0.2,
      keyframe: true,
      samples: 6,
    });
    expect(second).toMatchObject({
      decodeTime: 3072,
      decodeTimeSeconds: 0.2,
      durationSeconds: 0.2,
      keyframe: false,
    });
    // A fragment's bytes are its moof and mdat, exactly: a part is served as is.
    expect(first.bytes.length + second.bytes.length + init.bytes.length).toBe(stream.length);
    expect(String.fromCharCode(...first.bytes.subarray(4, 8))).toBe('moof');
  });

  it('gives the same units whatever the chunking, down to one byte at a time', () => {
    const whole = readAll([stream]);
    const bytewise = readAll([...stream].map((byte) => Uint8Array.of(byte)));
    const odd = readAll([stream.subarray(0, 13), stream.subarray(13, 700), stream.subarray(700)]);
    expect(bytewise).toEqual(whole);
    expect(odd).toEqual(whole);
  });

  it('keeps a partial box buffered until the rest arrives', () => {
    const reader = new Fmp4Reader();
    expect(reader.push(stream.subarray(0, ftyp.length + moov.length - 1))).toEqual([]);
    // The ftyp is complete and held for the init; only the unfinished moov is pending.
    expect(reader.pendingBytes).toBe(moov.length - 1);
    expect(
      reader.push(stream.subarray(ftyp.length + moov.length - 1, ftyp.length + moov.length)),
    ).toHaveLength(1);
    expect(reader.pendingBytes).toBe(0);
  });

  it('falls back to trex defaults and reads 32-bit decode times', () => {
    const traf = box(
      'traf',
      box('tfhd', full(0, 0x020000), u32(1)),
      box('tfdt', full(0, 0), u32(123_000)),
      box('trun', full(0, 0x01), u32(4), u32(0)),
    );
    const [, only] = readAll([Uint8Array.from([...ftyp, ...moov, ...fragment([traf])])]) as [
      Fmp4Unit,
      FragmentUnit,
    ];
    // trex: 512 ticks per sample and non-sync flags.
    expect(only).toMatchObject({ decodeTime: 123_000, duration: 2048, keyframe: false });
  });

  it('reads 64-bit box sizes and ignores boxes that carry no media', () => {
    const mdat = [...u32(1), ...ascii('mdat'), ...u64(16 + 5), 1, 2, 3, 4, 5];
    const moof = box('moof', box('mfhd', full(0, 0), u32(1)), videoTraf(2 ** 33, [512], SYNC));
    const units = readAll([
      Uint8Array.from([...ftyp, ...box('free', [0, 0]), ...moov, ...moof, ...mdat, ...box('mfra')]),
    ]);
    expect(units.map((u) => u.kind)).toEqual(['init', 'fragment']);
    expect(units[1]).toMatchObject({ decodeTime: 2 ** 33, keyframe: true });
    expect(units[1]?.bytes.length).toBe(moof.length + mdat.length);
  });

  it('refuses what a pipe cannot carry or a box cannot be', () => {
    expect(() => new Fmp4Reader().push(Uint8Array.from([...u32(0), ...ascii('mdat')]))).toThrow(Fmp4Error);
    expect(() => new Fmp4Reader().push(Uint8Array.from([...u32(3), ...ascii('free')]))).toThrow(
      /impossible size/,
    );
    expect(() => readAll([Uint8Array.from([...ftyp, ...moov, ...moov])])).toThrow(/second moov/);
    const noVideo = box('moof', box('traf', box('tfhd', full(0, 0), u32(9))));
    expect(() => readAll([Uint8Array.from([...moov, ...noVideo, ...box('mdat')])])).toThrow(
      /no traf for track 1/,
    );
  });

  it('skips media before the moov and a moof without an mdat yet', () => {
    const reader = new Fmp4Reader();
    expect(reader.push(Uint8Array.from(box('mdat', [1, 2])))).toEqual([]);
    expect(reader.push(Uint8Array.from([...moov, ...box('moof', videoTraf(0, [512], SYNC))]))).toHaveLength(
      1,
    );
  });
});
