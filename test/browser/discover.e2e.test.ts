import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebAssets } from '../../scripts/build-web-assets.js';
import { launchChromium } from '../support/browser.js';
import { apiUser, type RunningPlatform, startPlatform } from '../support/platform.js';
import { generateClip, waitFor } from '../support/stack.js';
import { uploadWhole } from '../support/tus.js';
import { expectOne, phoneLike, registerInBrowser, screenshot, trackedPage } from './browser.js';

/**
 * Search, views, playlists and history in real Chromium against `npm start`: a viewer finds a
 * video from the header's search box with an unaccented prefix, plays it (the player reports one
 * view, counted after the batch flush), saves it to watch later from the watch page, and finds it in
 * their history, which they pause and clear. Every page fits a phone screen.
 */
describe('discovery in a browser', () => {
  let stack: RunningPlatform;
  let browser: Browser;
  let page: Page;
  let videoId = '';
  const errors: string[] = [];

  beforeAll(async () => {
    buildWebAssets();
    [stack, browser] = await Promise.all([
      startPlatform({ X264_PRESET: 'ultrafast', VIEW_FLUSH_SECONDS: '1' }),
      launchChromium(),
    ]);
    const creator = await apiUser(stack.edgeUrl, 'composer_owner');
    const channel = await creator.call('POST', '/api/v1/channels', {
      handle: 'composer',
      displayName: 'Composer',
    });
    const { video } = await creator.call('POST', '/api/v1/videos', {
      channelId: channel.id,
      title: 'Étude in C',
      tags: ['piano'],
    });
    videoId = video.id;
    const clip = await generateClip(path.join(stack.dataDir, 'clip.mp4'), {
      width: 320,
      height: 180,
      seconds: 6,
    });
    await uploadWhole(readFileSync(clip), {
      endpoint: `${stack.edgeUrl}/api/v1/uploads`,
      token: creator.token,
      videoId,
    });
    await waitFor(
      async () =>
        (await creator.call('GET', `/api/v1/videos/${videoId}`)).state === 'ready' ? true : undefined,
      120_000,
      stack.output,
    );
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await trackedPage(context, errors);
    await registerInBrowser(page, stack.edgeUrl, {
      email: 'listener@example.com',
      username: 'listener',
      password: 'a long enough password',
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('finds the video from the header search box with an unaccented prefix', async () => {
    await page.getByLabel('Search videos and channels').fill('etu');
    await page.getByLabel('Search videos and channels').press('Enter');
    await page.waitForURL('**/search?search=etu');
    const result = page.locator('.card', { hasText: 'Étude in C' });
    await expectOne(result);
    await screenshot(page, 'discover-01-search');
    await result.locator('a.card-link').click();
    await page.waitForURL(`**/w/${videoId}`);
  });

  it('reports one view when playback starts, shown after the flush', async () => {
    await expect(page.locator('[data-view-count]').textContent()).resolves.toBe('0 views');
    const reported = page.waitForResponse((r) => r.url().endsWith(`/api/v1/videos/${videoId}/views`));
    await page.getByRole('button', { name: 'Play' }).click();
    expect((await reported).status()).toBe(204);
    await waitFor(
      async () => {
        await page.reload();
        return (await page.locator('[data-view-count]').textContent()) === '1 view' ? true : undefined;
      },
      15_000,
      stack.output,
    );
  }, 30_000);

  it('saves the video to watch later from the watch page', async () => {
    await page.locator('.save-menu summary').click();
    await page.getByRole('button', { name: 'Watch later' }).click();
    await expectOne(page.getByRole('status').filter({ hasText: 'Saved to Watch later.' }));
    await page.getByRole('link', { name: 'Playlists' }).click();
    await page.getByRole('link', { name: 'Watch later' }).click();
    await expect(page.locator('.playlist-elements li').allTextContents()).resolves.toEqual([
      expect.stringContaining('Étude in C'),
    ]);
    await screenshot(page, 'discover-02-watch-later');
  });

  it('lists the video in the history, then pauses and clears it', async () => {
    await page.getByRole('link', { name: 'History' }).click();
    await expectOne(page.locator('.history-list li'));
    await screenshot(page, 'discover-03-history');
    await page.getByRole('button', { name: 'Pause history' }).click();
    await expectOne(page.getByRole('button', { name: 'Resume history' }));
    await page.getByRole('button', { name: 'Clear history' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('Nothing watched yet.');
  });

  it('fits a 375 px wide phone screen on every discovery page', async () => {
    const phone = await phoneLike(page, errors);
    for (const route of ['/search?search=etude', '/playlists', '/history', `/w/${videoId}`])
      await phone.fits(`${stack.edgeUrl}${route}`);
    await screenshot(phone.page, 'discover-04-mobile-search');
    await phone.close();
  });

  it('logged no console error and threw nothing in any page', () => {
    expect(errors).toEqual([]);
  });
});
