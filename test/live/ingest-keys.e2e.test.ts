import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushTestStream as push, pushThenOffAir, waitOnAir } from '../support/live.js';
import { apiUser, type RunningPlatform, startPlatform } from '../support/platform.js';
import { waitFor } from '../support/stack.js';

/**
 * Stream keys end to end through `npm start`: the key comes from the live API through the edge,
 * the in-process ingest checks it with the origin, and the channel goes live and ends again.
 */
describe('live: stream keys through npm start', () => {
  let platform: RunningPlatform;
  let owner: Awaited<ReturnType<typeof apiUser>>;
  let rtmp: string;
  let channelId: string;
  const handle = 'onair';
  const live = () => owner.call('GET', `/api/v1/channels/${handle}/live`);
  const video = (id: string) => owner.call('GET', `/api/v1/videos/${id}`);

  beforeAll(async () => {
    platform = await startPlatform({ LIVE_RECONNECT_SECONDS: '3', X264_PRESET: 'ultrafast' });
    owner = await apiUser(platform.edgeUrl, 'streamer');
    channelId = (await owner.call('POST', '/api/v1/channels', { handle, displayName: 'On air' })).id;
    rtmp = `rtmp://127.0.0.1:${platform.ingestPort}/live`;
  }, 130_000);

  afterAll(() => platform?.stop());

  it('refuses a key that was never issued, and starts no session', async () => {
    const created = await owner.call('POST', `/api/v1/channels/${handle}/live`);
    // The API hands out the URL of the ingest npm start runs, on its bound port.
    expect(created.ingest.rtmpUrl).toBe(rtmp);
    expect(created.ingest.streamKey).toEqual(expect.any(String));
    const refused = await push(`${rtmp}/not-a-key-${'x'.repeat(40)}`, 2);
    expect(refused.code).not.toBe(0);
    expect(await live()).toMatchObject({ state: 'idle', videoId: null });
  }, 30_000);

  let videoId: string;

  /** The first variant's media playlist of the live, through the edge with a playback token. */
  async function mediaPlaylistUrl(id: string): Promise<string> {
    const playback = await owner.call('POST', `/api/v1/videos/${id}/playback`);
    const master = await waitFor(
      async () => {
        const res = await fetch(playback.hls);
        return res.status === 200 ? res.text() : undefined;
      },
      10_000,
      platform.output,
    );
    const variant = master.split('\n').find((line) => line.trim() && !line.startsWith('#'));
    return new URL((variant ?? '').trim(), playback.hls).toString();
  }
  let oldKey: string;

  it('goes live with the issued key, continues the same session across a reconnect, then ends', async () => {
    const rotated = await owner.call('POST', `/api/v1/channels/${handle}/live/key`);
    oldKey = rotated.ingest.streamKey;
    // Recording off: the live ends as `ended`, not playable (a recorded live becomes a replay;
    // test/live/playback.e2e.test.ts follows that path).
    expect(await owner.call('PATCH', `/api/v1/channels/${handle}/live`, { record: false })).toMatchObject({
      settings: { record: false },
    });
    const first = push(`${rtmp}/${oldKey}`, 5);
    const onAir = await waitOnAir(live, platform.output);
    videoId = onAir.videoId;
    expect(await video(videoId)).toMatchObject({ id: videoId, state: 'live' });
    expect((await first).code).toBe(0);

    // The encoder comes back within the 3 s reconnect window: the same session and video go on,
    // it is never told "already publishing", and the playlist marks the seam.
    const again = push(`${rtmp}/${oldKey}`, 5);
    const media = await mediaPlaylistUrl(videoId);
    const seam = await waitFor(
      async () => {
        const text = await (await fetch(media)).text();
        return text.includes('#EXT-X-DISCONTINUITY') ? text : undefined;
      },
      15_000,
      platform.output,
    );
    expect(seam).toMatch(/#EXT-X-PART:/);
    // Stream health, measured on the source: 30 fps with a keyframe every second, as pushed.
    const { live: facts } = await waitFor(
      async () => {
        const current = await video(videoId);
        return current.live?.health ? current : undefined;
      },
      10_000,
      platform.output,
    );
    expect(facts.health.inputBitrate).toBeGreaterThan(10_000);
    expect(facts.health.frameRate).toBeGreaterThan(27);
    expect(facts.health.frameRate).toBeLessThan(33);
    expect(facts.health.keyframeIntervalSeconds).toBeCloseTo(1, 1);
    // A player's view report is a heartbeat: the viewer counts as watching now.
    await owner.call('POST', `/api/v1/videos/${videoId}/views`, { currentTime: 1 });
    expect((await video(videoId)).live.viewers).toBe(1);
    expect(await live()).toMatchObject({ state: 'live', videoId });
    const { done, ended } = await pushThenOffAir(again, () => video(videoId), platform.output);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).not.toMatch(/already publishing/i);
    expect(ended.state).toBe('ended');
    expect(await live()).toMatchObject({ state: 'idle', videoId: null });
  }, 60_000);

  it('refuses the old key once rotated: ffmpeg fails and no new video appears', async () => {
    const before = await owner.call('GET', `/api/v1/videos?channelId=${channelId}&limit=50`);
    const rotated = await owner.call('POST', `/api/v1/channels/${handle}/live/key`);
    expect(rotated.ingest.streamKey).not.toBe(oldKey);
    const refused = await push(`${rtmp}/${oldKey}`, 2);
    expect(refused.code).not.toBe(0);
    expect(await live()).toMatchObject({ state: 'idle', videoId: null });
    const after = await owner.call('GET', `/api/v1/videos?channelId=${channelId}&limit=50`);
    expect(after.data.map((v: { id: string }) => v.id)).toEqual(before.data.map((v: { id: string }) => v.id));
    expect((await video(videoId)).state).toBe('ended');
  }, 30_000);
});
