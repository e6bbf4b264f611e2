import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebAssets } from '../../scripts/build-web-assets.js';
import { expectOne, registerInBrowser, screenshot, trackedPage } from '../browser/browser.js';
import { launchChromium } from '../support/browser.js';
import { apiUser, type RunningPlatform, startPlatform } from '../support/platform.js';
import { generateClip, waitFor } from '../support/stack.js';
import { uploadWhole } from '../support/tus.js';

/** A federating `npm start`: its public URL is its edge, and loopback peers are allowed. */
const federating = (edgeUrl: string) => ({
  PUBLIC_URL: edgeUrl,
  FEDERATION_ALLOW_PRIVATE_ADDRESSES: 'true',
  X264_PRESET: 'ultrafast',
});

/**
 * Issue 14's first acceptance item, on two instances (`npm start` each: own PGlite, own ports):
 * A's user follows B's channel from A's web UI in Chromium, B publishes, the video reaches A within
 * 10 s and plays there from B's HLS through hls.js; A's comment and like reach B; B makes the video
 * private and A drops it; the Undo of the follow stops B's deliveries to A.
 */
describe('two Vidra instances federating, driven from the web UI', () => {
  let a: RunningPlatform;
  let b: RunningPlatform;
  let browser: Browser;
  let page: Page;
  let creator: Awaited<ReturnType<typeof apiUser>>;
  let channelId = '';
  let clip = '';
  const handle = 'harbour';
  const errors: string[] = [];
  const output = () => `--- A ---\n${a.output().slice(-3000)}\n--- B ---\n${b.output().slice(-3000)}`;

  /** Upload the clip as a new video of B's channel; resolves once B says it is ready. */
  async function publishOnB(title: string): Promise<string> {
    const { video } = await creator.call('POST', '/api/v1/videos', { channelId, title });
    await uploadWhole(readFileSync(clip), {
      endpoint: `${b.edgeUrl}/api/v1/uploads`,
      token: creator.token,
      videoId: video.id,
    });
    await waitFor(
      async () =>
        (await creator.call('GET', `/api/v1/videos/${video.id}`)).state === 'ready' ? true : undefined,
      60_000,
      output,
    );
    return video.id;
  }

  /** Reload A's subscriptions page until `check` holds (deliveries are asynchronous). */
  async function feedUntil(check: () => Promise<boolean>, timeoutMs: number) {
    await waitFor(
      async () => {
        await page.goto(`${a.edgeUrl}/feed/subscriptions`);
        return (await check()) ? true : undefined;
      },
      timeoutMs,
      output,
    );
  }

  beforeAll(async () => {
    buildWebAssets();
    [a, b, browser] = await Promise.all([
      startPlatform(federating),
      startPlatform(federating),
      launchChromium(),
    ]);
    creator = await apiUser(b.edgeUrl, 'skipper');
    channelId = (await creator.call('POST', '/api/v1/channels', { handle, displayName: 'Harbour' })).id;
    clip = await generateClip(path.join(b.dataDir, 'clip.mp4'), { width: 320, height: 180, seconds: 2 });
    page = await trackedPage(await browser.newContext({ viewport: { width: 1280, height: 800 } }), errors);
    await registerInBrowser(page, a.edgeUrl, {
      email: 'fan@example.com',
      username: 'fan',
      password: 'a long enough password',
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  const hostB = () => new URL(b.edgeUrl).host;

  it("1. follows B's channel from A's subscriptions page by @channel@host: pending, then accepted", async () => {
    await page.goto(`${a.edgeUrl}/feed/subscriptions`);
    await page.getByLabel('Follow a remote channel').fill(`@${handle}@${hostB()}`);
    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    await expectOne(page.getByRole('status').filter({ hasText: 'Follow request sent.' }));
    const entry = page.getByRole('list', { name: 'Remote channels' }).locator('li');
    await expect(entry.textContent()).resolves.toContain(`@${handle}@${hostB()}`);
    await feedUntil(async () => (await entry.getAttribute('data-state')) === 'accepted', 15_000);
    await expect(entry.locator('.remote-state').textContent()).resolves.toBe('Following');
  });

  let bVideo = '';
  it('2. B publishes; within 10 s the video is on A, and plays there from B with hls.js', async () => {
    bVideo = await publishOnB('Harbour at dawn');
    const ready = performance.now();
    const card = page.locator('.card', { hasText: 'Harbour at dawn' });
    await feedUntil(async () => (await card.count()) === 1, 10_000);
    expect(performance.now() - ready).toBeLessThan(10_000);
    await card.locator('a.card-link').click();
    await page.waitForURL('**/w/*');
    await expectOne(page.locator('.remote-origin', { hasText: hostB() }));
    const player = page.locator('[data-player]');
    await expect(player.getAttribute('data-remote-hls')).resolves.toBe(
      `${b.edgeUrl}/videos/watch/${bVideo}/media/master.m3u8`,
    );
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(
      () => {
        const root = document.querySelector('[data-player]') as
          | (HTMLElement & { vidra?: { hls?: unknown } })
          | null;
        const video = document.querySelector('video');
        return Boolean(root?.vidra?.hls) && video !== null && video.currentTime > 0.5;
      },
      undefined,
      { timeout: 15_000 },
    );
    await screenshot(page, 'federation-remote-watch');
  });

  it("3. A's user comments and likes; B shows both", async () => {
    await page.getByLabel('Add a comment').fill('Lovely **light** over the water.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await expectOne(page.locator('.comments li', { hasText: 'Lovely light over the water.' }));
    await page.getByRole('form', { name: 'Rate this video' }).getByRole('button', { name: /^Like/ }).click();
    await waitFor(
      async () => {
        const [threads, video] = await Promise.all([
          creator.call('GET', `/api/v1/videos/${bVideo}/comment-threads`),
          creator.call('GET', `/api/v1/videos/${bVideo}`),
        ]);
        const commented = threads.data?.some(
          (t: { text: string }) => t.text === 'Lovely light over the water.',
        );
        return commented && video.likes === 1 ? true : undefined;
      },
      10_000,
      output,
    );
    const threads = await creator.call('GET', `/api/v1/videos/${bVideo}/comment-threads`);
    expect(threads.data[0].account.name).toBe(`fan@${new URL(a.edgeUrl).host}`);
  });

  it('4. B makes the video private, and A removes it', async () => {
    const watchUrl = page.url();
    const res = await creator.call('PATCH', `/api/v1/videos/${bVideo}`, { privacy: 'private' });
    expect(res.privacyName ?? res.video?.privacyName).toBe('private');
    await waitFor(async () => ((await fetch(watchUrl)).status === 404 ? true : undefined), 10_000, output);
    await feedUntil(
      async () => (await page.locator('.card', { hasText: 'Harbour at dawn' }).count()) === 0,
      5000,
    );
  });

  it("5. unfollowing (Undo of the Follow) stops B's deliveries to A", async () => {
    await page.goto(`${a.edgeUrl}/feed/subscriptions`);
    await page.getByRole('button', { name: `Unfollow ${handle}@${hostB()}` }).click();
    await expectOne(page.getByRole('status').filter({ hasText: 'You no longer follow that channel.' }));
    // B drops A's user from the channel's followers: nothing more is queued for A's host.
    const hostA = new URL(a.edgeUrl).host;
    const deliveredToA = async () =>
      ((await creator.call('GET', '/api/v1/admin/federation')).hosts as { host: string; delivered: number }[])
        .filter((h) => h.host === hostA)
        .reduce((n, h) => n + h.delivered, 0);
    // The Undo is B's last word from A; give it a moment to land before B publishes again.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const before = await deliveredToA();
    await publishOnB('Harbour at noon');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await deliveredToA()).toBe(before);
    const health = await creator.call('GET', '/api/v1/admin/federation');
    expect(
      health.hosts.filter((h: { host: string; pending: number }) => h.host === hostA && h.pending > 0),
    ).toEqual([]);
    await page.goto(`${a.edgeUrl}/feed/subscriptions`);
    expect(await page.locator('.card', { hasText: 'Harbour at noon' }).count()).toBe(0);
  }, 90_000);

  it('logged no console error and threw nothing in any page', () => {
    expect(errors).toEqual([]);
  });
});
