/** The live job with a transcoded rung: the copied source on stdout, x264 720p on fd 3. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveFixture, until } from '../../test/live-fixture.js';

describe('a live ladder with a transcoded rung', () => {
  let live: Awaited<ReturnType<typeof startLiveFixture>>;

  beforeAll(async () => {
    live = await startLiveFixture({ ladder: 'source+720p', seconds: 6, preset: 'ultrafast' });
    await until(
      () => {
        const renditions = live.runner.states.at(-1)?.state.renditions ?? [];
        return renditions.length === 2 && renditions.every((r) => r.state.segments.length >= 3);
      },
      20_000,
      'three segments in both renditions',
    );
  }, 40_000);

  afterAll(async () => {
    await live?.close();
  });

  it('pushes both renditions, the rung at 720p with 1 s segments on its own GOP', () => {
    const [source, rung] = live.runner.states.at(-1)?.state.renditions ?? [];
    expect(source).toMatchObject({ name: 'source', width: 320, height: 180 });
    expect(rung).toMatchObject({ name: '720p', width: 1280, height: 720 });
    expect(rung?.codecs).toMatch(/^avc1\.[0-9a-f]{6},mp4a\.40\.2$/);
    const durations = rung?.state.segments.map((s) => s.durationSeconds) ?? [];
    console.info(`720p segments: ${durations.map((d) => d.toFixed(2)).join(', ')} s`);
    for (const d of durations.slice(1)) expect(d).toBeCloseTo(1, 1);
    const files = live.runner.files.filter((f) => f.rendition === '720p').map((f) => f.file);
    expect(files).toContain('init.mp4');
    expect(files.some((f) => f.startsWith('part_'))).toBe(true);
    expect(live.runner.invalidStates).toEqual([]);
    expect(live.logs.filter((l) => l.msg.includes('FFmpeg restarted'))).toEqual([]);
  });
});
