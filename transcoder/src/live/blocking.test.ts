import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  answerPlaylistRequest,
  decideReload,
  isReloadSatisfied,
  parseReloadQuery,
  ReloadWaiters,
  reloadTimeoutMs,
} from '../../../protocol/live-hls/blocking.js';
import { recordingPackager } from './test-fragments.js';

const query = (text: string) => parseReloadQuery(new URLSearchParams(text));

describe('parseReloadQuery', () => {
  it('reads _HLS_msn, _HLS_part and _HLS_skip', () => {
    expect(query('')).toEqual({ ok: true, request: { skip: false } });
    expect(query('_HLS_msn=12&_HLS_part=3&_HLS_skip=YES')).toEqual({
      ok: true,
      request: { msn: 12, part: 3, skip: true },
    });
    expect(query('_HLS_msn=0&_HLS_skip=v2')).toEqual({ ok: true, request: { msn: 0, skip: true } });
  });

  it('refuses malformed values and a part without a segment', () => {
    for (const text of [
      '_HLS_msn=-1',
      '_HLS_msn=1.5',
      '_HLS_msn=',
      '_HLS_msn=01',
      '_HLS_msn=1&_HLS_part=x',
    ]) {
      expect(query(text).ok, text).toBe(false);
    }
    expect(query('_HLS_part=1')).toEqual({ ok: false, reason: '_HLS_part without _HLS_msn' });
    expect(query('_HLS_skip=NO')).toMatchObject({ ok: false });
  });
});

/** Segment 1 finished (5 parts), segment 2 in progress with parts 0 and 1. */
const midStream = () => {
  const recorder = recordingPackager();
  recorder.feed(7);
  return recorder;
};

describe('decideReload', () => {
  it('answers at once what exists: a plain reload, a finished segment, an existing part', () => {
    const { state } = midStream().packager;
    for (const request of [{}, { msn: 1 }, { msn: 1, part: 4 }, { msn: 1, part: 9 }, { msn: 2, part: 1 }]) {
      expect(decideReload(state, { skip: false, ...request }), JSON.stringify(request)).toEqual({
        action: 'answer',
      });
    }
  });

  it('waits for the next part, the segment in progress, and up to one segment ahead', () => {
    const { state } = midStream().packager;
    for (const request of [
      { msn: 2, part: 2 },
      { msn: 2 },
      { msn: 3 },
      { msn: 3, part: 0 },
      { msn: 2, part: 4 },
    ]) {
      expect(decideReload(state, { skip: false, ...request }), JSON.stringify(request)).toEqual({
        action: 'wait',
      });
    }
  });

  it('refuses with 400 a request more than one segment or too many parts ahead', () => {
    const { state } = midStream().packager;
    expect(decideReload(state, { msn: 4, skip: false })).toEqual({
      action: 'refuse',
      status: 400,
      reason: '_HLS_msn=4 is more than one segment beyond the live edge (2)',
    });
    expect(decideReload(state, { msn: 2, part: 5, skip: false })).toMatchObject({
      action: 'refuse',
      status: 400,
    });
    expect(decideReload(state, { msn: 3, part: 3, skip: false })).toMatchObject({
      action: 'refuse',
      status: 400,
    });
  });

  it('answers everything once the live has ended; before the first part, waits and counts from the first msn', () => {
    const { packager, feed } = midStream();
    feed(1);
    packager.end();
    expect(decideReload(packager.state, { msn: 3, part: 0, skip: false })).toEqual({ action: 'answer' });
    const fresh = recordingPackager({ firstMediaSequence: 10 }).packager.state;
    expect(decideReload(fresh, { skip: false })).toEqual({ action: 'wait' }); // no part to list yet
    expect(decideReload(fresh, { msn: 10, part: 0, skip: false })).toEqual({ action: 'wait' });
    expect(decideReload(fresh, { msn: 11, skip: false })).toEqual({ action: 'wait' });
    expect(decideReload(fresh, { msn: 12, skip: false })).toMatchObject({ action: 'refuse' });
  });

  it('reads a part index past the end of a finished segment as part 0 of the next', () => {
    const { packager, feed } = midStream();
    packager.discontinuity(); // segment 2 ends with its 2 parts; nothing of segment 3 exists yet
    expect(decideReload(packager.state, { msn: 2, part: 1, skip: false })).toEqual({ action: 'answer' });
    expect(decideReload(packager.state, { msn: 2, part: 2, skip: false })).toEqual({ action: 'wait' });
    feed(3); // media time 1.4 s to 2 s: no keyframe, dropped
    expect(isReloadSatisfied(packager.state, { msn: 2, part: 2, skip: false })).toBe(false);
    feed(1);
    expect(isReloadSatisfied(packager.state, { msn: 2, part: 2, skip: false })).toBe(true);
  });

  it('waits three target durations', () => {
    expect(reloadTimeoutMs(midStream().packager.state)).toBe(3000);
  });
});

describe('ReloadWaiters', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('releases a blocked reload with the first state that holds the part it asked for', async () => {
    const { packager, feed } = midStream();
    const waiters = new ReloadWaiters(packager.state);
    const request = { msn: 2, part: 3, skip: false };
    const released = waiters.wait(request);
    expect(waiters.size).toBe(1);
    feed(1);
    waiters.notify(packager.state);
    expect(waiters.size).toBe(1); // part 2 is not part 3
    feed(1);
    waiters.notify(packager.state);
    const state = await released;
    expect(state && isReloadSatisfied(state, request)).toBe(true);
    expect(state?.current?.parts).toHaveLength(4);
    expect(waiters.size).toBe(0);
  });

  it('resolves undefined after the timeout, so the server can answer 503', async () => {
    const { packager } = midStream();
    const waiters = new ReloadWaiters(packager.state);
    const released = waiters.wait({ msn: 3, skip: false });
    vi.advanceTimersByTime(2999);
    expect(waiters.size).toBe(1);
    vi.advanceTimersByTime(1);
    await expect(released).resolves.toBeUndefined();
    expect(waiters.size).toBe(0);
  });

  it('answers at once a request the current state already satisfies', async () => {
    const { packager } = midStream();
    const waiters = new ReloadWaiters(packager.state);
    await expect(waiters.wait({ msn: 1, skip: false })).resolves.toBe(packager.state);
    expect(waiters.size).toBe(0);
  });
});

describe('answerPlaylistRequest', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers, blocks until the part exists, refuses, and gives up after three target durations', async () => {
    const { packager, feed } = midStream();
    const waiters = new ReloadWaiters(packager.state);
    const at = (text: string) => answerPlaylistRequest(waiters, new URLSearchParams(text));

    await expect(at('_HLS_part=1')).resolves.toEqual({ status: 400, body: '_HLS_part without _HLS_msn' });
    await expect(at('_HLS_msn=9')).resolves.toMatchObject({ status: 400 });
    const now = await at('_HLS_msn=2&_HLS_part=1');
    expect(now.status).toBe(200);
    expect(now.body).toContain('#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00002_2.m4s"\n');
    expect(now.body).not.toContain('#EXT-X-PART:DURATION=0.20000,URI="part_00002_2.m4s"');

    const blocked = at('_HLS_msn=2&_HLS_part=2');
    feed(1);
    waiters.notify(packager.state);
    const released = await blocked;
    expect(released.status).toBe(200);
    expect(released.body).toContain('#EXT-X-PART:DURATION=0.20000,URI="part_00002_2.m4s"\n');

    const late = at('_HLS_msn=3');
    vi.advanceTimersByTime(3000);
    await expect(late).resolves.toEqual({ status: 503, body: 'the requested part did not arrive in time' });
  });

  it('renders a delta update for _HLS_skip, through a caller-given renderer', async () => {
    const { packager, feed } = recordingPackager();
    feed(42);
    const waiters = new ReloadWaiters(packager.state);
    const delta = await answerPlaylistRequest(waiters, new URLSearchParams('_HLS_skip=YES'));
    expect(delta.body).toContain('#EXT-X-SKIP:SKIPPED-SEGMENTS=1\n');
    const custom = await answerPlaylistRequest(
      waiters,
      new URLSearchParams('_HLS_msn=8'),
      (state, request) => `${state.mediaSequence} ${request.msn}`,
    );
    expect(custom).toEqual({ status: 200, body: '2 8' });
  });
});
