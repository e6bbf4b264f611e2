import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/edge/load.js';
import { pushTestStream as push, pushThenOffAir, waitOnAir } from '../support/live.js';
import { apiUser, type RunningPlatform, startPlatform } from '../support/platform.js';
import { waitFor } from '../support/stack.js';

/**
 * SRT ingest through `npm start`: the live API hands out a complete `srtUrl` (host, the channel's
 * own port, its passphrase); ingest runs an FFmpeg listener on that port with that passphrase, so a
 * wrong passphrase is refused at the SRT handshake and a right one goes live like RTMP does.
 */
describe('live: SRT ingest through npm start', () => {
  let platform: RunningPlatform;
  let owner: Awaited<ReturnType<typeof apiUser>>;
  let srtPort: number;
  const handle = 'srtcaster';
  const live = () => owner.call('GET', `/api/v1/channels/${handle}/live`);

  beforeAll(async () => {
    srtPort = await freePort();
    platform = await startPlatform({
      LIVE_RECONNECT_SECONDS: '3',
      X264_PRESET: 'ultrafast',
      LIVE_SRT_PORTS: String(srtPort),
      INGEST_SRT: 'on',
      INGEST_SRT_POLL_MS: '300',
    });
    owner = await apiUser(platform.edgeUrl, 'srtowner');
    await owner.call('POST', '/api/v1/channels', { handle, displayName: 'SRT caster' });
  }, 130_000);

  afterAll(() => platform?.stop());

  let srtUrl: string;

  it('hands out a complete srt:// URL on the channel port, and the banner names SRT', async () => {
    const created = await owner.call('POST', `/api/v1/channels/${handle}/live`);
    srtUrl = created.ingest.srtUrl;
    expect(srtUrl).toMatch(
      new RegExp(`^srt://127\\.0\\.0\\.1:${srtPort}\\?passphrase=[A-Za-z0-9_-]{10,79}$`),
    );
    expect(platform.output()).toMatch(/SRT: +srt:\/\/127\.0\.0\.1:/);
    // Recording off keeps this suite short: the live ends as `ended`.
    await owner.call('PATCH', `/api/v1/channels/${handle}/live`, { record: false });
  }, 20_000);

  it('refuses a wrong passphrase at the handshake, and no session starts', async () => {
    const wrong = srtUrl.replace(/passphrase=[^&]+/, `passphrase=${'w'.repeat(43)}`);
    // The listener may still be starting: retry until the handshake itself refuses.
    const refused = await waitFor(
      async () => {
        const result = await push(wrong, 2, 'mpegts');
        return /reject|passphrase|Input\/output error/i.test(result.stderr) ? result : undefined;
      },
      15_000,
      platform.output,
    );
    expect(refused.code).not.toBe(0);
    expect(await live()).toMatchObject({ state: 'idle', videoId: null });
  }, 30_000);

  it('goes live with the right passphrase, and ends once the caller left and the window passed', async () => {
    const pushing = push(srtUrl, 6, 'mpegts');
    const onAir = await waitOnAir(live, platform.output);
    const video = () => owner.call('GET', `/api/v1/videos/${onAir.videoId}`);
    expect(await video()).toMatchObject({ state: 'live' });
    const { done, ended } = await pushThenOffAir(pushing, video, platform.output);
    expect(done.code, done.stderr).toBe(0);
    expect(ended.state).toBe('ended');
  }, 60_000);

  it('refuses the old passphrase once the key is rotated, and takes the new one', async () => {
    const rotated = await owner.call('POST', `/api/v1/channels/${handle}/live/key`);
    expect(rotated.ingest.srtUrl).not.toBe(srtUrl);
    // The listener picks up the new passphrase on its next read of the list (300 ms here).
    const refused = await waitFor(
      async () => {
        const result = await push(srtUrl, 2, 'mpegts');
        return result.code !== 0 ? result : undefined;
      },
      15_000,
      platform.output,
    );
    expect(refused.stderr).toMatch(/reject|passphrase|Input\/output error/i);
    expect(await live()).toMatchObject({ state: 'idle', videoId: null });
    const pushing = push(rotated.ingest.srtUrl, 4, 'mpegts');
    const onAir = await waitOnAir(live, platform.output);
    const { done } = await pushThenOffAir(
      pushing,
      () => owner.call('GET', `/api/v1/videos/${onAir.videoId}`),
      platform.output,
    );
    expect(done.code, done.stderr).toBe(0);
  }, 45_000);
});
