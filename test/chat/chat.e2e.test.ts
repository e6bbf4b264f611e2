import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerInBrowser, trackedPage } from '../browser/browser.js';
import { launchChromium } from '../support/browser.js';
import { type Push, pushTestStream, waitOnAir } from '../support/live.js';
import { apiUser, type RunningPlatform, startPlatform } from '../support/platform.js';
import { waitFor } from '../support/stack.js';
import { RefusedUpgrade, TestChatSocket } from './chat-client.js';

// Long enough that the messages below are all sent while the push lasts, even on a loaded machine.
const PUSH_SECONDS = 20;

/**
 * Chat through `npm start` (embedded mode: one origin, in-process fan-out, PGlite) behind the edge
 * in workerd: the edge's access check on the upgrade, two Chromium pages chatting on a live, and
 * the replay page showing the messages as playback reaches their offsets.
 */
describe('chat through the edge and in the browser', () => {
  let platform: RunningPlatform;
  let owner: Awaited<ReturnType<typeof apiUser>>;
  let browser: Browser;
  let pushing: Promise<Push>;
  let videoId: string;
  const errors: string[] = [];
  const handle = 'chatstage';

  beforeAll(async () => {
    platform = await startPlatform({ LIVE_RECONNECT_SECONDS: '2', X264_PRESET: 'ultrafast' });
    owner = await apiUser(platform.edgeUrl, 'chatowner');
    await owner.call('POST', '/api/v1/channels', { handle, displayName: 'Chat stage' });
    const created = await owner.call('POST', `/api/v1/channels/${handle}/live`);
    pushing = pushTestStream(`${created.ingest.rtmpUrl}/${created.ingest.streamKey}`, PUSH_SECONDS);
    browser = await launchChromium();
    const onAir = await waitOnAir(
      () => owner.call('GET', `/api/v1/channels/${handle}/live`),
      platform.output,
    );
    videoId = onAir.videoId;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await pushing?.catch(() => {});
    await platform?.stop();
  });

  it('passes the socket through the edge for viewers, and refuses at the edge those who may not see the video', async () => {
    const viaEdge = await TestChatSocket.open(platform.edgeUrl, videoId, { token: owner.token });
    expect(viaEdge.frames[0]).toEqual(expect.objectContaining({ type: 'history', open: true }));
    expect(await viaEdge.post('hello through the edge')).toEqual(expect.objectContaining({ type: 'ack' }));
    const anonymous = await TestChatSocket.open(platform.edgeUrl, videoId);
    expect(await anonymous.post('let me in')).toEqual(
      expect.objectContaining({ type: 'error', code: 'unauthorized' }),
    );

    const secret = await owner.call('POST', '/api/v1/videos', {
      channelId: (await owner.call('GET', `/api/v1/channels/${handle}`)).id,
      title: 'Secret',
      privacy: 'private',
    });
    const stranger = await apiUser(platform.edgeUrl, 'chatstranger');
    for (const auth of [{ token: stranger.token }, {}]) {
      await expect(TestChatSocket.open(platform.edgeUrl, secret.video.id, auth)).rejects.toEqual(
        new RefusedUpgrade(404),
      );
    }
    // The owner may: the refusal is the edge's decision about this viewer, not a broken route.
    (await TestChatSocket.open(platform.edgeUrl, secret.video.id, { token: owner.token })).close();
    // A bad bearer is refused before any access check.
    await expect(TestChatSocket.open(platform.edgeUrl, videoId, { token: 'not-a-jwt' })).rejects.toEqual(
      new RefusedUpgrade(401),
    );
    viaEdge.close();
    anonymous.close();
  }, 30_000);

  it('lets two signed-in pages chat on the live, then shows the messages at their offsets on the replay', async () => {
    const pages: Page[] = [];
    for (const name of ['ada', 'bea']) {
      const page = await trackedPage(await browser.newContext(), errors);
      await registerInBrowser(page, platform.edgeUrl, {
        email: `${name}@example.com`,
        username: name,
        password: 'a long password',
      });
      await page.goto(`${platform.edgeUrl}/w/${videoId}`);
      await page.getByLabel('Send a message').waitFor();
      pages.push(page);
    }
    const [ada, bea] = pages as [Page, Page];
    // History on join, on both pages: the message sent through the edge earlier. Both are in the
    // room before anyone posts (a socket still connecting would only get it from its history).
    for (const page of pages) await page.getByRole('log').getByText('hello through the edge').waitFor();

    await ada.getByLabel('Send a message').fill('hi bea');
    await ada.getByLabel('Send a message').press('Enter');
    await bea.getByRole('log').getByText('hi bea').waitFor();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await bea.getByLabel('Send a message').fill('hi ada');
    await bea.getByRole('button', { name: 'Send' }).click();
    await ada.getByRole('log').getByText('hi ada').waitFor();
    // Not a moderator: no moderation buttons; the owner's page would have them.
    expect(await bea.getByRole('button', { name: /^Ban / }).count()).toBe(0);

    await pushing;
    const replay = await waitFor(
      async () => {
        // Ready, and the ladder landed: while it encodes, the replay may play from a growing
        // (progressive) playlist whose duration is only what is encoded so far.
        const v = await owner.call('GET', `/api/v1/videos/${videoId}`);
        return v.state === 'ready' && !v.processing ? v : undefined;
      },
      90_000,
      platform.output,
    );
    expect(replay.state).toBe('ready');
    const { messages } = await owner.call('GET', `/api/v1/videos/${videoId}/chat/messages`);
    const offsets = messages.map((m: { offsetMs: number }) => m.offsetMs);
    expect(messages.map((m: { text: string }) => m.text)).toEqual([
      'hello through the edge',
      'hi bea',
      'hi ada',
    ]);

    const viewer = await trackedPage(await browser.newContext(), errors);
    await viewer.goto(`${platform.edgeUrl}/w/${videoId}`);
    await viewer.getByRole('heading', { name: 'Chat replay' }).waitFor();
    await viewer.waitForFunction(() => (document.querySelector('video')?.duration ?? 0) > 0, undefined, {
      timeout: 30_000,
    });
    const duration = await viewer.evaluate(
      () => (document.querySelector('video') as HTMLVideoElement).duration,
    );
    // The replay can be a little shorter than the live (its last segment in progress is dropped).
    expect(offsets[2] / 1000).toBeLessThan(duration);
    const seek = async (wanted: number) => {
      const seconds = Math.min(wanted, duration - 0.05);
      await viewer.evaluate((s) => {
        const v = document.querySelector('video') as HTMLVideoElement;
        v.pause();
        v.currentTime = s;
      }, seconds);
      await viewer.waitForFunction(
        (s) => Math.abs((document.querySelector('video') as HTMLVideoElement).currentTime - s) < 0.3,
        seconds,
      );
    };
    const shown = () =>
      viewer
        .locator('.chat-log [data-offset]')
        .evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.offset)));
    // Between the second and the third message: exactly the first two are shown.
    const between = (offsets[1] + offsets[2]) / 2000;
    await seek(between);
    await waitFor(
      async () => ((await shown()).length === 2 ? true : undefined),
      15_000,
      () => `the replay log did not follow the seek (offsets ${offsets})`,
    );
    expect(await shown()).toEqual(offsets.slice(0, 2));
    // Seeking back before the first hides them; forward past the last shows all three, in order.
    await seek(Math.max(0, offsets[0] / 1000 - 0.5));
    await waitFor(
      async () => ((await shown()).length === 0 ? true : undefined),
      15_000,
      () => `the replay log did not follow the seek (offsets ${offsets})`,
    );
    await seek(offsets[2] / 1000 + 0.5);
    await waitFor(
      async () => ((await shown()).length === 3 ? true : undefined),
      15_000,
      () => `the replay log did not follow the seek (offsets ${offsets})`,
    );
    expect(await shown()).toEqual(offsets);
    expect(errors).toEqual([]);
  }, 150_000);
});
