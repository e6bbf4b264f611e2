import { describe, expect, it } from 'vitest';
import { LlHlsPackager, type PackagerState } from './packager.js';
import { CLOCK, fragment, INIT, recordingPackager } from './test-fragments.js';

describe('LlHlsPackager', () => {
  it('emits each fragment as a part and each finished segment as the concatenation of its parts', () => {
    const { parts, segments, inits, feed } = recordingPackager();
    feed(11);
    expect(inits).toEqual(['init.mp4']);
    expect(parts.map((p) => p.name)).toEqual([
      ...[0, 1, 2, 3, 4].map((i) => `part_00001_${i}.m4s`),
      ...[0, 1, 2, 3, 4].map((i) => `part_00002_${i}.m4s`),
      'part_00003_0.m4s',
    ]);
    expect(parts.filter((p) => p.independent).map((p) => p.name)).toEqual([
      'part_00001_0.m4s',
      'part_00002_0.m4s',
      'part_00003_0.m4s',
    ]);
    expect(
      segments.map(({ name, msn, durationSeconds, programDateTime }) => ({
        name,
        msn,
        durationSeconds,
        programDateTime,
      })),
    ).toEqual([
      { name: 'seg_00001.m4s', msn: 1, durationSeconds: 1, programDateTime: CLOCK - 200 },
      { name: 'seg_00002.m4s', msn: 2, durationSeconds: 1, programDateTime: CLOCK + 800 },
    ]);
    expect([...(segments[1]?.bytes ?? [])]).toEqual([5, 6, 7, 8, 9]);
    expect(segments[1]?.parts.map((p) => p.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('hands every finished segment to storage, also those that leave the live window', () => {
    const { packager, segments, feed } = recordingPackager({ windowSegments: 7 });
    feed(100);
    expect(segments.map((s) => s.msn)).toEqual([...Array(19).keys()].map((i) => i + 1));
    expect(packager.state.segments.map((s) => s.msn)).toEqual([13, 14, 15, 16, 17, 18, 19]);
    expect(packager.state.mediaSequence).toBe(13);
  });

  it('cuts a segment at the first keyframe at or after the target duration', () => {
    const { segments, feed } = recordingPackager();
    feed(13, 3); // a keyframe every 600 ms: at 600 ms the segment is too short, at 1200 ms it is cut
    expect(segments.map((s) => [s.durationSeconds, s.parts.length])).toEqual([
      [1.2, 6],
      [1.2, 6],
    ]);
  });

  it('drops what comes before the first keyframe, at the start and after a reconnect', () => {
    const { packager, parts } = recordingPackager();
    packager.pushFragment(fragment(0, 200, false));
    expect(parts).toEqual([]);
    expect(packager.state.current).toBeUndefined();
    packager.pushFragment(fragment(200, 200, true, 7));
    expect(parts.map((p) => [p.name, [...p.bytes]])).toEqual([['part_00001_0.m4s', [7]]]);
    packager.discontinuity();
    packager.pushFragment(fragment(0, 200, false));
    expect(parts).toHaveLength(1);
    packager.pushFragment(fragment(200, 200, true));
    expect(parts.at(-1)).toMatchObject({ name: 'part_00002_0.m4s', independent: true });
    expect(packager.state.current?.discontinuity).toBe(true);
  });

  it('learns the keyframe interval for the preload hint, and names a missed hint on the part', () => {
    const { parts, feed, packager } = recordingPackager();
    feed(31, 10); // a 2 s GOP: the first guess is the 1 s target, then the interval is known
    const misses = parts.filter((p) => p.hintedAs).map((p) => [p.hintedAs, p.name]);
    expect(misses).toEqual([
      ['part_00002_0.m4s', 'part_00001_5.m4s'],
      ['part_00001_10.m4s', 'part_00002_0.m4s'],
    ]);
    expect(packager.state.preloadHint).toBe('part_00004_1.m4s');
    feed(9, 10);
    expect(packager.state.preloadHint).toBe('part_00005_0.m4s');
  });

  it('continues the numbering of an earlier packager of the same live', () => {
    const { parts, segments, feed } = recordingPackager({ firstMediaSequence: 42 });
    feed(6);
    expect(segments.map((s) => s.name)).toEqual(['seg_00042.m4s']);
    expect(parts.at(-1)?.name).toBe('part_00043_0.m4s');
  });

  it('raises PART-TARGET and TARGETDURATION to what the stream really has, never lowers them', () => {
    const { packager } = recordingPackager();
    packager.pushFragment(fragment(0, 233, true));
    packager.pushFragment(fragment(233, 2000, false));
    packager.pushFragment(fragment(2233, 200, true));
    expect(packager.state.partTarget).toBe(2);
    expect(packager.state.targetDuration).toBe(2);
  });

  it('snapshots its state, so a held state never changes under a renderer', () => {
    const seen: PackagerState[] = [];
    const { packager, feed } = recordingPackager({ onChange: (state) => seen.push(state) });
    feed(2);
    const held = packager.state;
    feed(4);
    expect(held.current?.parts).toHaveLength(2);
    expect(seen).toHaveLength(6);
    expect(seen.at(-1)).toBe(packager.state);
  });

  it('ignores an unchanged init after a reconnect', () => {
    const { packager, inits } = recordingPackager();
    packager.pushInit({ ...INIT, bytes: Uint8Array.from(INIT.bytes) });
    expect(inits).toEqual(['init.mp4']);
  });

  it('refuses a window under 7 segments, fragments before the init, and fragments after the end', () => {
    expect(() => new LlHlsPackager({ windowSegments: 6 })).toThrow(RangeError);
    expect(() => new LlHlsPackager().pushFragment(fragment(0, 200, true))).toThrow(/before the init/);
    const { packager, feed } = recordingPackager();
    feed(1);
    packager.end();
    packager.end();
    expect(packager.state).toMatchObject({ ended: true, preloadHint: undefined, current: undefined });
    expect(() => feed(1)).toThrow(/ended/);
  });
});
