import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMediaPlaylist } from '../../protocol/live-hls/playlist.js';
import type { PackagerState } from '../../protocol/live-hls/state.js';
import { hlsKey, videoObjectKey } from '../../protocol/media.js';
import { recordingPackager } from '../../transcoder/src/live/test-fragments.js';
import { createTestApp, DRIVERS, TEST_CONFIG, type TestApp } from './harness.js';
import { goLive } from './live-client.js';
import { registerTestRunner } from './runner-client.js';

const INTERNAL = { authorization: `Bearer ${TEST_CONFIG.internalApiToken}` };
const RENDITIONS = [
  { name: 'source', bandwidth: 1_200_000, codecs: 'avc1.64000d,mp4a.40.2', width: 320, height: 180 },
  { name: '160p', bandwidth: 300_000, codecs: 'avc1.64000c,mp4a.40.2', width: 284, height: 160 },
];
const IMMUTABLE = 'public, max-age=31536000, immutable';

type Pushed = { kind: 'file'; name: string; bytes: Uint8Array } | { kind: 'state'; state: PackagerState };

describe.each(DRIVERS)('origin live hub on %s', (driver) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(driver, { live: { ...TEST_CONFIG.live, reconnectSeconds: 1 } });
  });
  afterAll(() => t.close());

  /** A channel on air: authorized through ingest's route, its live job leased by a test runner. */
  async function onAir() {
    const live = await goLive(t, 'hub');
    const runner = await registerTestRunner(t, `live-${live.handle}`);
    const offers = await runner.post('request?wait=0', { kinds: ['live'] });
    const jobId = (offers.body.jobs as Array<{ id: string }>)[0]?.id as string;
    expect((await runner.post(`${jobId}/accept`)).status).toBe(200);

    // The real packager, its outputs replayed over the runner API in the order it emits them.
    const outbox: Pushed[] = [];
    const recorder = recordingPackager({
      onInit: (init) => outbox.push({ kind: 'file', name: init.name, bytes: init.bytes }),
      onPart: (part) => outbox.push({ kind: 'file', name: part.name, bytes: part.bytes }),
      onSegment: (segment) => outbox.push({ kind: 'file', name: segment.name, bytes: segment.bytes }),
      onChange: (state) => outbox.push({ kind: 'state', state }),
    });
    const putFile = (token: string, rendition: string, name: string, bytes: Uint8Array) =>
      t.app.request(`/api/v1/runners/jobs/${jobId}/live/files/${rendition}/${name}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(bytes),
      });
    const putState = (token: string, state: PackagerState) => {
      const body = { renditions: RENDITIONS.map((r) => ({ ...r, state })) };
      return t.app.request(`/api/v1/runners/jobs/${jobId}/live/state`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    };
    /** Push everything emitted so far (to every rendition); answers when the last state push began. */
    async function flush() {
      let lastState = 0;
      for (const item of outbox.splice(0)) {
        if (item.kind === 'state') {
          lastState = performance.now();
          expect((await putState(runner.token, item.state)).status).toBe(204);
          continue;
        }
        for (const r of RENDITIONS)
          expect((await putFile(runner.token, r.name, item.name, item.bytes)).status).toBe(204);
      }
      return lastState;
    }
    return {
      videoId: live.videoId,
      sessionId: live.sessionId,
      jobId,
      runner,
      recorder,
      flush,
      putFile,
      putState,
    };
  }

  const read = async (videoId: string, path: string, headers: Record<string, string> = INTERNAL) =>
    t.app.request(`/internal/v1/live/${videoId}/hls/${path}`, { headers });

  it('serves the multivariant and LL-HLS media playlists rendered from the pushed state', async () => {
    const live = await onAir();
    live.recorder.feed(7);
    await live.flush();

    const master = await read(live.videoId, 'master.m3u8');
    expect(master.status).toBe(200);
    expect(master.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(master.headers.get('cache-control')).toBe('no-store');
    expect((await master.text()).split('\n')).toEqual([
      '#EXTM3U',
      '#EXT-X-VERSION:9',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-STREAM-INF:BANDWIDTH=1200000,CODECS="avc1.64000d,mp4a.40.2",RESOLUTION=320x180',
      'source/index.m3u8',
      '#EXT-X-STREAM-INF:BANDWIDTH=300000,CODECS="avc1.64000c,mp4a.40.2",RESOLUTION=284x160',
      '160p/index.m3u8',
      '',
    ]);

    const media = await read(live.videoId, 'source/index.m3u8');
    expect(media.status).toBe(200);
    expect(media.headers.get('cache-control')).toBe('no-store');
    const lines = (await media.text()).split('\n');
    const state = live.recorder.packager.state;
    const reports = [{ uri: '../160p/index.m3u8', lastMsn: 2, lastPart: 1 }];
    expect(lines.join('\n')).toBe(renderMediaPlaylist(state, { renditionReports: reports }));
    // Segment 1 (five parts, then the segment), segment 2 in progress with two parts, the hint.
    expect(lines).toEqual(
      expect.arrayContaining([
        '#EXT-X-MAP:URI="init.mp4"',
        '#EXT-X-PART:DURATION=0.20000,URI="part_00001_0.m4s",INDEPENDENT=YES',
        '#EXT-X-PART:DURATION=0.20000,URI="part_00001_4.m4s"',
        '#EXTINF:1.00000,',
        'seg_00001.m4s',
        '#EXT-X-PART:DURATION=0.20000,URI="part_00002_0.m4s",INDEPENDENT=YES',
        '#EXT-X-PART:DURATION=0.20000,URI="part_00002_1.m4s"',
        '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00002_2.m4s"',
        '#EXT-X-RENDITION-REPORT:URI="../160p/index.m3u8",LAST-MSN=2,LAST-PART=1',
      ]),
    );
    expect(lines).not.toContain('#EXT-X-ENDLIST');
  });

  it('holds a blocking reload until the part is pushed and answers right after it', async () => {
    const live = await onAir();
    live.recorder.feed(7);
    await live.flush();
    let answeredAt = 0;
    const blocked = read(live.videoId, 'source/index.m3u8?_HLS_msn=2&_HLS_part=2').then((res) => {
      answeredAt = performance.now();
      return res;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(answeredAt).toBe(0);
    live.recorder.feed(1);
    const pushedAt = await live.flush();
    const res = await blocked;
    const latency = answeredAt - pushedAt;
    console.info(`[${driver}] blocking reload answered ${latency.toFixed(1)} ms after the state push began`);
    // Well inside the hold (a timed-out hold answers 503, checked below), even on a loaded machine.
    expect(latency).toBeLessThan(500);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=1');
    expect(await res.text()).toContain('#EXT-X-PART:DURATION=0.20000,URI="part_00002_2.m4s"\n');

    // A delta update skips what lies before CAN-SKIP-UNTIL (nothing yet, with 2 s of playlist).
    const skip = await read(live.videoId, 'source/index.m3u8?_HLS_msn=2&_HLS_part=2&_HLS_skip=YES');
    expect(skip.status).toBe(200);
  });

  it('refuses a reload too far ahead or malformed with 400, and answers 503 when nothing comes', async () => {
    const live = await onAir();
    live.recorder.feed(7);
    await live.flush();
    const far = await read(live.videoId, 'source/index.m3u8?_HLS_msn=9');
    expect(far.status).toBe(400);
    expect((await far.json()).error.code).toBe('bad_request');
    expect((await read(live.videoId, 'source/index.m3u8?_HLS_msn=2&_HLS_part=9')).status).toBe(400);
    expect((await read(live.videoId, 'source/index.m3u8?_HLS_part=1')).status).toBe(400);
    // Three target durations (3 s at a 1 s target) without the part: 503.
    const started = performance.now();
    const late = await read(live.videoId, 'source/index.m3u8?_HLS_msn=3');
    expect(late.status).toBe(503);
    expect(performance.now() - started).toBeGreaterThan(2900);
  }, 10_000);

  it('serves parts from memory and segments and init from memory or storage, all immutable', async () => {
    const live = await onAir();
    live.recorder.feed(7);
    await live.flush();
    const part = await read(live.videoId, 'source/part_00002_1.m4s');
    expect(part.status).toBe(200);
    expect(part.headers.get('content-type')).toBe('video/iso.segment');
    expect(part.headers.get('cache-control')).toBe(IMMUTABLE);
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([6]);
    expect((await read(live.videoId, 'source/part_00009_0.m4s')).status).toBe(404);
    expect((await read(live.videoId, 'source/nope.m4s')).status).toBe(404);

    // Only parts stay out of storage: init and finished segments are the recording.
    const stored = (path: string) => t.storage.get(videoObjectKey(live.videoId, hlsKey(path)));
    for (const path of ['source/init.mp4', 'source/seg_00001.m4s', '160p/seg_00001.m4s']) {
      const object = await stored(path);
      expect(object, path).toBeDefined();
      await object?.body.cancel();
    }
    expect(await stored('source/part_00002_1.m4s')).toBeUndefined();
    const segment = await read(live.videoId, 'source/seg_00001.m4s');
    expect(segment.headers.get('cache-control')).toBe(IMMUTABLE);
    expect([...new Uint8Array(await segment.arrayBuffer())]).toEqual([0, 1, 2, 3, 4]);
    const init = await read(live.videoId, '160p/init.mp4');
    expect(init.headers.get('content-type')).toBe('video/mp4');
    expect([...new Uint8Array(await init.arrayBuffer())]).toEqual([1, 2, 3]);

    // The preload-hinted part is held until it arrives.
    const hinted = read(live.videoId, 'source/part_00002_2.m4s');
    await new Promise((resolve) => setTimeout(resolve, 50));
    live.recorder.feed(1);
    await live.flush();
    const res = await hinted;
    expect(res.status).toBe(200);
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([7]);
  });

  it('refuses pushes from a runner without the lease (409) and bad file names (400)', async () => {
    const live = await onAir();
    const other = await registerTestRunner(t, 'intruder');
    const bytes = Uint8Array.of(1);
    expect((await live.putFile(other.token, 'source', 'part_00001_0.m4s', bytes)).status).toBe(409);
    expect((await live.putState(other.token, live.recorder.packager.state)).status).toBe(409);
    expect((await live.putFile(live.runner.token, 'source', 'index.m3u8', bytes)).status).toBe(400);
    expect((await live.putFile(live.runner.token, 'source', 'evil.sh', bytes)).status).toBe(400);
    expect((await live.putFile(live.runner.token, 'Bad', 'init.mp4', bytes)).status).toBe(400);
    expect((await read(live.videoId, 'master.m3u8')).status).toBe(404);
  });

  it('needs the internal token, and answers 404 for a video not live on this origin', async () => {
    const live = await onAir();
    live.recorder.feed(2);
    await live.flush();
    expect((await read(live.videoId, 'master.m3u8', {})).status).toBe(401);
    expect((await read(live.videoId, 'master.m3u8', { authorization: 'Bearer wrong' })).status).toBe(401);
    const unknown = await read('00000000-0000-4000-8000-000000000000', 'master.m3u8');
    expect(unknown.status).toBe(404);
  });

  it('ends the playlists when the session ends and releases blocked reloads; segments stay stored', async () => {
    const live = await onAir();
    live.recorder.feed(7);
    await live.flush();
    const blocked = read(live.videoId, 'source/index.m3u8?_HLS_msn=2&_HLS_part=4');
    const gone = await t.call('POST', `/internal/v1/live/sessions/${live.sessionId}/disconnected`, {
      headers: INTERNAL,
      body: { node: 'ingest-1' },
    });
    expect(gone.status).toBe(200);
    const res = await blocked; // the reconnect window (1 s here) passes and the session ends
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/#EXT-X-ENDLIST\n$/);
    const playlist = await (await read(live.videoId, '160p/index.m3u8')).text();
    expect(playlist).not.toContain('PRELOAD-HINT');
    expect(playlist).toMatch(/#EXT-X-ENDLIST\n$/);
    const segment = await t.storage.get(videoObjectKey(live.videoId, hlsKey('source/seg_00001.m4s')));
    expect(segment).toBeDefined();
    await segment?.body.cancel();
    expect(
      (await live.putFile(live.runner.token, 'source', 'part_00002_2.m4s', Uint8Array.of(1))).status,
    ).toBe(409);
  }, 10_000);
});
