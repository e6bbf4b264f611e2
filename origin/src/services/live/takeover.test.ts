import { describe, expect, it } from 'vitest';
import { renderMediaPlaylist } from '../../../../protocol/live-hls/playlist.js';
import { recordingPackager } from '../../../../transcoder/src/live/test-fragments.js';
import { DEFAULT_LIVE_HUB_OPTIONS } from './hub.js';
import { RenditionBuffer } from './rendition-buffer.js';

/** A rendition fed by a first attempt, then by a second one continuing at `highest + 1`. */
function takenOver(firstSegments: number) {
  const buffer = new RenditionBuffer(DEFAULT_LIVE_HUB_OPTIONS);
  const first = recordingPackager({ onChange: (state) => buffer.setState(state) });
  first.feed(firstSegments * 5 + 2); // dies two parts into a segment
  for (const part of first.parts) buffer.put('part', part.name, new Uint8Array(part.bytes));
  const before = buffer.state;
  const { msn, initGeneration } = buffer.highest;
  const second = recordingPackager({
    firstMediaSequence: msn + 1,
    firstInitGeneration: initGeneration + 1,
    discontinuity: true,
    onChange: (state) => buffer.setState(state),
  });
  return { buffer, before, first, second, msn, initGeneration };
}

describe('a re-leased live job taking over a rendition', () => {
  it('continues past every name the first attempt used, hint included', () => {
    const { first, msn, initGeneration, second } = takenOver(3);
    // Segments 1..3 finished, 4 in progress, and the hint may name 4 or 5.
    expect(msn).toBeGreaterThanOrEqual(4);
    expect(initGeneration).toBe(0);
    second.feed(3);
    const used = new Set(first.parts.map((part) => part.name));
    expect(second.parts.every((part) => !used.has(part.name))).toBe(true);
    expect(second.parts[0]?.msn).toBe(msn + 1);
    expect(second.inits).toEqual(['init_1.mp4']);
  });

  it('keeps serving the old window, then the new attempt after a discontinuity', () => {
    const { buffer, before, second, msn } = takenOver(3);
    second.feed(6); // one segment finished, one in progress
    const state = buffer.state;
    expect(state.mediaSequence).toBe(1);
    expect(state.segments.map((s) => s.msn)).toEqual([1, 2, 3, msn + 1]);
    expect(state.segments.map((s) => s.discontinuity)).toEqual([false, false, false, true]);
    expect(state.segments[3]?.init).toBe('init_1.mp4');
    expect(state.current?.msn).toBe(msn + 2);
    expect(state.discontinuitySequence).toBe(0);
    expect(before.segments.map((s) => s.msn)).toEqual([1, 2, 3]);
    const playlist = renderMediaPlaylist(state);
    expect(playlist).toContain('#EXT-X-DISCONTINUITY\n');
    expect(playlist).toContain('#EXT-X-MAP:URI="init_1.mp4"');
    expect(playlist).toContain('seg_00003.m4s');
  });

  it('slides the window over the old segments and counts the discontinuity they drop', () => {
    const { buffer, second, msn } = takenOver(7);
    second.feed(2);
    expect(buffer.state.segments.map((s) => s.msn)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(buffer.state.current).toMatchObject({ msn: msn + 1, discontinuity: true });
    second.feed(5 * 8);
    const state = buffer.state;
    expect(state.segments).toHaveLength(7);
    expect(state.segments[0]?.msn).toBe(msn + 2);
    expect(state.mediaSequence).toBe(msn + 2);
    expect(state.discontinuitySequence).toBe(1);
    // A window still holding old segments: the takeover's tag is listed, none counted yet.
    const { buffer: b2, second: s2 } = takenOver(7);
    s2.feed(5 * 3);
    expect(b2.state.segments.map((s) => s.discontinuity).filter(Boolean)).toHaveLength(1);
    expect(b2.state.segments).toHaveLength(7);
    expect(b2.state.discontinuitySequence).toBe(0);
  });

  it('leaves a restart within one attempt alone', () => {
    const buffer = new RenditionBuffer(DEFAULT_LIVE_HUB_OPTIONS);
    const one = recordingPackager({ onChange: (state) => buffer.setState(state) });
    one.feed(12);
    one.packager.discontinuity();
    one.restart();
    one.feed(6);
    expect(buffer.state).toEqual(one.packager.state);
  });
});
