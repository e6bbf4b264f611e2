/**
 * The live job on a real RTMP source: the real ingest (with a double of the origin's two internal
 * ingest endpoints), a real encoder pushing to it, and a double of the origin's runner live
 * endpoints receiving what the job pushes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMediaPlaylist } from '../../../protocol/live-hls/playlist.js';
import { startLiveFixture, until } from '../../test/live-fixture.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

describe('the live job against a real RTMP ingest', () => {
  let live: Awaited<ReturnType<typeof startLiveFixture>>;
  let runnerOrigin: typeof live.runner;
  let stoppedAt = 0;
  let restartedAt = 0;
  let resumedAt = 0;

  beforeAll(async () => {
    live = await startLiveFixture({ ladder: 'source', seconds: 9 });
    runnerOrigin = live.runner;
    const { logs, encoder } = live;
    // Live for a while, then the encoder freezes (SIGSTOP keeps its connection open, silent).
    await until(
      () => (runnerOrigin.states.at(-1)?.state.renditions[0]?.state.segments.length ?? 0) >= 3,
      15_000,
      'three segments',
    );
    stoppedAt = Date.now();
    encoder.kill('SIGSTOP');
    restartedAt = await until(
      () => logs.some((l) => l.msg.includes('FFmpeg restarted')),
      8000,
      'a watchdog restart',
    );
    encoder.kill('SIGCONT');
    resumedAt = Date.now();
    await until(
      () =>
        runnerOrigin.states.some(
          (s) => s.at > resumedAt && s.state.renditions[0]?.state.segments.some((seg) => seg.discontinuity),
        ),
      10_000,
      'a discontinuity after the encoder resumed',
    );
  }, 60_000);

  afterAll(async () => {
    await live?.close();
  });
  it('pushes the init, ~200 ms parts and 1 s segments of the copied source', () => {
    const source = runnerOrigin.files.filter((f) => f.rendition === 'source');
    expect(source.some((f) => f.file === 'init.mp4')).toBe(true);
    const parts = source.filter((f) => f.file.startsWith('part_'));
    const segments = source.filter((f) => f.file.startsWith('seg_'));
    const before = parts.filter((p) => p.at < stoppedAt);
    const gaps = before.slice(1).map((p, i) => p.at - (before[i] as { at: number }).at);
    const state = runnerOrigin.states.at(-1)?.state.renditions[0];
    const durations = (state?.state.segments ?? []).map((s) => s.durationSeconds);
    const partMs = (state?.state.segments ?? []).flatMap((s) => s.parts.map((p) => p.durationSeconds * 1000));
    console.info(
      `parts ${parts.length}, arrival p50 ${median(gaps)} ms, part p50 ${median(partMs).toFixed(0)} ms; segments ${durations.map((d) => d.toFixed(2)).join(', ')} s; ` +
        `restart ${restartedAt - stoppedAt} ms after SIGSTOP; states ${runnerOrigin.states.length}`,
    );
    expect(segments.length).toBeGreaterThanOrEqual(3);
    expect(median(gaps)).toBeGreaterThan(100);
    expect(median(gaps)).toBeLessThan(300);
    expect(median(partMs)).toBeGreaterThan(150);
    expect(median(partMs)).toBeLessThan(260);
    // Before the stall, segments follow the 1 s GOP.
    expect(median(durations)).toBeCloseTo(1, 1);
    expect(state).toMatchObject({
      name: 'source',
      codecs: expect.stringMatching(/^avc1\.[0-9a-f]{6},mp4a\.40\.2$/),
      width: 320,
      height: 180,
    });
  });

  it('sends valid states, each after the parts it names, and the playlist has parts', () => {
    expect(runnerOrigin.invalidStates).toEqual([]);
    expect(runnerOrigin.states.length).toBeGreaterThan(10);
    for (const { state, filesBefore } of runnerOrigin.states) {
      for (const rendition of state.renditions) {
        const named = [
          ...rendition.state.segments,
          ...(rendition.state.current ? [rendition.state.current] : []),
        ];
        for (const segment of named) {
          for (const part of segment.parts) {
            if (segment === rendition.state.current || segment.msn >= (named.at(-1)?.msn ?? 0) - 2)
              expect(filesBefore.has(`${rendition.name}/${part.name}`), part.name).toBe(true);
          }
        }
      }
    }
    const last = runnerOrigin.states.at(-1)?.state.renditions[0]?.state;
    if (!last) throw new Error('no state');
    const playlist = renderMediaPlaylist({ ...last, current: last.current, preloadHint: last.preloadHint });
    expect(playlist).toMatch(/#EXT-X-PART:DURATION=[0-9.]+,URI="part_\d{5}_\d+\.m4s"/);
    expect(playlist).toContain('#EXT-X-DISCONTINUITY');
  });

  it('restarts a stalled FFmpeg within 5 s and continues after a discontinuity', () => {
    expect(restartedAt - stoppedAt).toBeLessThan(5000);
    const restart = live.logs.find((l) => l.msg.includes('FFmpeg restarted'));
    expect(restart?.restarts).toBe(1);
    const last = runnerOrigin.states.at(-1)?.state.renditions[0]?.state;
    const resumed = last?.segments.find((s) => s.discontinuity);
    expect(resumed?.parts[0]?.independent).toBe(true);
  });

  it('stops FFmpeg at once when the lease is lost', async () => {
    await live.encoderDone;
    const before = Date.now();
    live.loseLease();
    await expect(live.job).rejects.toThrow('lease-lost');
    expect(Date.now() - before).toBeLessThan(1000);
  });
});
