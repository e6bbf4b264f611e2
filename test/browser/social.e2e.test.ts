import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebAssets } from '../../scripts/build-web-assets.js';
import { launchChromium } from '../support/browser.js';
import { apiUser, type RunningPlatform, startPlatform } from '../support/platform.js';
import { generateClip, waitFor } from '../support/stack.js';
import { uploadWhole } from '../support/tus.js';
import { expectOne, PHONE_WIDTH, phoneLike, registerInBrowser, screenshot, trackedPage } from './browser.js';

/**
 * The social core walked by a viewer in real Chromium against `npm start` (issue 13's browser
 * acceptance): search, subscribe, comment and reply, like, add to a playlist, then be told when
 * the subscribed channel publishes something new.
 */
describe('social walkthrough in a browser', () => {
  let stack: RunningPlatform;
  let browser: Browser;
  let page: Page;
  let creator: Awaited<ReturnType<typeof apiUser>>;
  let channelId = '';
  let clip = '';
  const errors: string[] = [];

  /** Create a video in the creator's channel, upload the clip, wait until it is ready. */
  async function publish(title: string): Promise<string> {
    const { video } = await creator.call('POST', '/api/v1/videos', { channelId, title });
    await uploadWhole(readFileSync(clip), {
      endpoint: `${stack.edgeUrl}/api/v1/uploads`,
      token: creator.token,
      videoId: video.id,
    });
    await waitFor(
      async () =>
        (await creator.call('GET', `/api/v1/videos/${video.id}`)).state === 'ready' ? true : undefined,
      120_000,
      stack.output,
    );
    return video.id;
  }

  beforeAll(async () => {
    buildWebAssets();
    [stack, browser] = await Promise.all([startPlatform({ X264_PRESET: 'ultrafast' }), launchChromium()]);
    creator = await apiUser(stack.edgeUrl, 'pianist_owner');
    channelId = (
      await creator.call('POST', '/api/v1/channels', { handle: 'pianist', displayName: 'Pianist' })
    ).id;
    clip = await generateClip(path.join(stack.dataDir, 'clip.mp4'), { width: 320, height: 180, seconds: 4 });
    await publish('Étude in C');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await trackedPage(context, errors);
    await registerInBrowser(page, stack.edgeUrl, {
      email: 'fan@example.com',
      username: 'fan',
      password: 'a long enough password',
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('1. searches from the header and opens the result', async () => {
    await page.getByLabel('Search videos and channels').fill('ETU');
    await page.getByLabel('Search videos and channels').press('Enter');
    const result = page.locator('.card', { hasText: 'Étude in C' });
    await expectOne(result);
    await result.locator('a.card-link').click();
    await page.waitForURL('**/w/*');
  });

  it('2. subscribes to the channel from the watch page', async () => {
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expectOne(page.getByRole('button', { name: 'Unsubscribe' }));
    expect(await creator.call('GET', '/api/v1/channels/pianist')).toMatchObject({ followersCount: 1 });
  });

  it('3. comments, and replies to the comment', async () => {
    await page.getByLabel('Add a comment').fill('Lovely **touch** on the left hand.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    const comment = page.locator('.comments li', { hasText: 'Lovely touch on the left hand.' }).first();
    await expect(comment.locator('.comment-body strong').first().textContent()).resolves.toBe('touch');
    await comment.locator('summary', { hasText: 'Reply' }).first().click();
    await comment.getByLabel('Your reply').first().fill('And the pedal, too.');
    await comment.getByRole('button', { name: 'Post reply' }).first().click();
    await expectOne(page.locator('.comments', { hasText: 'And the pedal, too.' }));
    await screenshot(page, 'social-01-comments');
  });

  it('4. likes the video', async () => {
    const rate = page.getByRole('form', { name: 'Rate this video' });
    await rate.getByRole('button', { name: /^Like/ }).click();
    await expect(
      page
        .getByRole('form', { name: 'Rate this video' })
        .getByRole('button', { name: /^Like/ })
        .getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    await expect(
      page.getByRole('form', { name: 'Rate this video' }).locator('.count').first().textContent(),
    ).resolves.toBe('1');
  });

  it('5. adds the video to a playlist', async () => {
    await page.locator('.save-menu summary').click();
    await page.getByRole('button', { name: 'Watch later' }).click();
    await expectOne(page.getByRole('status').filter({ hasText: 'Saved to Watch later.' }));
  });

  it('6. is told when the subscribed channel publishes a new video', async () => {
    await publish('Nocturne in E flat');
    const bell = page.getByRole('link', { name: /^Notifications, \d+ unread$/ });
    await waitFor(
      async () => {
        await page.reload();
        return (await bell.count()) === 1 ? true : undefined;
      },
      20_000,
      stack.output,
    );
    await bell.click();
    await expect(page.locator('.notices').textContent()).resolves.toContain('Nocturne in E flat');
    await screenshot(page, 'social-02-notification');
  }, 150_000);

  it('fits a 375 px wide phone screen on the watch page with its comments, the feed and the notices', async () => {
    const phone = await phoneLike(page, errors);
    for (const route of ['/feed/subscriptions', '/notifications', '/search?search=etude'])
      await phone.fits(`${stack.edgeUrl}${route}`);
    await phone.page.locator('.card a.card-link').first().click();
    await phone.page.waitForURL('**/w/*');
    await expectOne(phone.page.locator('.comments'));
    expect(await phone.width()).toBeLessThanOrEqual(PHONE_WIDTH);
    await screenshot(phone.page, 'social-03-phone-watch');
    await phone.close();
  });

  it('logged no console error and threw nothing in any page', () => {
    expect(errors).toEqual([]);
  });
});
