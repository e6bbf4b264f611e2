import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebAssets } from '../../scripts/build-web-assets.js';
import { launchChromium } from '../support/browser.js';
import { type RunningPlatform, startPlatform } from '../support/platform.js';
import { generateClip } from '../support/stack.js';
import { expectOne, registerInBrowser, screenshot, trackedPage } from './browser.js';

/**
 * The web app in real headless Chromium against the real stack (`npm start`: origin, in-process
 * transcoder, edge under wrangler dev): register, create a channel, sign out and in, upload a clip
 * through the page, watch it play and switch quality, and check what another user sees of a
 * private video. Any console error or uncaught exception fails the walk.
 */
describe('web app in a browser', () => {
  let stack: RunningPlatform;
  let browser: Browser;
  let owner: BrowserContext;
  let page: Page;
  let clip: string;
  let videoId = '';
  const errors: string[] = [];
  const password = 'correct horse battery';
  const email = 'creator@example.com';

  beforeAll(async () => {
    // The pages load hls.js and tus-js-client from the static assets this build step vendors.
    buildWebAssets();
    // The fastest x264 preset keeps transcoding, and so the suite, short.
    [stack, browser] = await Promise.all([startPlatform({ X264_PRESET: 'ultrafast' }), launchChromium()]);
    clip = await generateClip(path.join(stack.dataDir, 'clip.mp4'), { width: 640, height: 360, seconds: 8 });
    owner = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await trackedPage(owner, errors);
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('registers, creates a channel, signs out and in again', async () => {
    await page.goto(`${stack.edgeUrl}/`);
    expect(await page.title()).toBe('Home · Vidra');
    await expect(page.locator('main h1').textContent()).resolves.toBe('Latest videos');
    await screenshot(page, '01-home-empty');

    await page.getByRole('link', { name: 'Register' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Username').fill('creator_1');
    await page.getByLabel('Password').fill(password);
    await screenshot(page, '02-register');
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.waitForURL('**/channels/new');

    await page.getByLabel('Handle').fill('creator');
    await page.getByLabel('Display name').fill('Creator <Studio>');
    await page.getByRole('button', { name: 'Create channel' }).click();
    await page.waitForURL('**/c/creator');
    await expect(page.locator('main h1').textContent()).resolves.toBe('Creator <Studio>');

    await page.getByRole('button', { name: /Sign out/ }).click();
    await page.waitForURL(`${stack.edgeUrl}/`);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await screenshot(page, '03-login');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${stack.edgeUrl}/`);
    await expectOne(page.getByRole('button', { name: /Sign out @creator_1/ }));
  });

  it('uploads a clip through the upload page with live progress, then follows processing', async () => {
    await page.goto(`${stack.edgeUrl}/upload`);
    await page.getByLabel('Video file').setInputFiles(clip);
    await expect(page.getByLabel('Title').inputValue()).resolves.toBe('clip');
    await page.getByLabel('Title').fill('Test pattern <b>bold</b>');
    // Slow the upload down so progress, speed and pause/resume can be seen.
    const cdp = await owner.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 5,
      downloadThroughput: -1,
      uploadThroughput: 384 * 1024,
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    const bar = page.locator('#upload-bar');
    await page.waitForFunction(() => {
      const value = (document.querySelector('#upload-bar') as HTMLProgressElement).value;
      return value > 5 && value < 90;
    });
    await expect(page.locator('[data-upload-stats]').textContent()).resolves.toMatch(
      /MB of 1\.\d MB .* MB\/s/,
    );
    await screenshot(page, '04-upload-progress');

    const uploaded = () => bar.evaluate((el) => (el as HTMLProgressElement).value);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.locator('[data-upload-stats]').textContent()).resolves.toMatch(/^Paused at \d+%/);
    const firstPause = await uploaded();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.waitForFunction(
      (at) => (document.querySelector('#upload-bar') as HTMLProgressElement).value > at + 5,
      firstPause,
    );
    await page.getByRole('button', { name: 'Pause' }).click();
    expect(await uploaded()).toBeLessThan(100);

    // A reload, then the same file again: the same video and the same tus upload continue.
    const requests: string[] = [];
    page.on('request', (request) => requests.push(`${request.method()} ${new URL(request.url()).pathname}`));
    await page.reload();
    await expect(page.locator('[data-resume-note]').textContent()).resolves.toContain(
      'Unfinished upload: clip.mp4',
    );
    await page.getByLabel('Video file').setInputFiles(clip);
    await expect(page.getByLabel('Title').inputValue()).resolves.toBe('Test pattern <b>bold</b>');
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.locator('[data-upload-stats]', { hasText: 'Upload complete' }).waitFor({ timeout: 20_000 });
    const api = requests.filter((line) => line.includes('/api/v1/'));
    expect(api).not.toContain('POST /api/v1/videos');
    expect(api).not.toContain('POST /api/v1/uploads');
    expect(api).toContainEqual(expect.stringMatching(/^HEAD \/api\/v1\/uploads\/\w+/));
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });

    // SSE progress until the whole ladder is out.
    await page.locator('[data-watch-link]').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('[data-processing-status]', { hasText: 'Ready: 100%' }).waitFor({ timeout: 60_000 });
    const href = await page.locator('[data-watch-link] a').getAttribute('href');
    videoId = href?.replace('/w/', '') ?? '';
    expect(videoId).toMatch(/^[0-9a-f-]{36}$/);
    await screenshot(page, '05-upload-done');
    const listed = await page.evaluate(
      async () => (await (await fetch('/api/v1/videos')).json()).data.length,
    );
    expect(listed).toBe(1);
  }, 90_000);

  it('plays the video and switches rendition from the quality menu', async () => {
    await page.goto(`${stack.edgeUrl}/w/${videoId}`);
    await expect(page.locator('main h1').textContent()).resolves.toBe('Test pattern <b>bold</b>');
    const quality = page.getByLabel('Quality');
    await page.waitForFunction(
      () => (document.querySelector('#quality') as HTMLSelectElement).options.length >= 3,
    );
    const options = await quality.locator('option').allTextContents();
    // Auto, then the two renditions of a 640x360 source, best first.
    expect(options[0]).toMatch(/^Auto/);
    expect(options.slice(1)).toEqual(['360p', expect.stringMatching(/^\d+p$/)]);

    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => (document.querySelector('video') as HTMLVideoElement).currentTime > 1);

    // Hovering the seek bar shows the storyboard sprite crop for that moment.
    const seek = page.getByRole('slider', { name: 'Seek' });
    const box = await seek.boundingBox();
    if (!box) throw new Error('no seek bar');
    await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2);
    await page.locator('.storyboard-preview').waitFor({ state: 'visible' });
    const preview = await page
      .locator('.storyboard-image')
      .evaluate((el) => getComputedStyle(el).backgroundImage);
    expect(preview).toMatch(/\/play\/[^/]+\/storyboard\.jpg/);
    await screenshot(page, '06-watch-playing');

    const lowest = options[2] as string;
    await quality.selectOption({ label: lowest });
    const height = Number.parseInt(lowest, 10);
    await page.waitForFunction(
      (h) => (document.querySelector('[data-player]') as HTMLElement).dataset.height === String(h),
      height,
    );
    await page.waitForFunction(
      (h) => (document.querySelector('video') as HTMLVideoElement).videoHeight === h,
      height,
      {
        timeout: 15_000,
      },
    );
    const level = await page.evaluate(() => {
      const root = document.querySelector('[data-player]') as HTMLElement & {
        vidra: { hls: { currentLevel: number } };
      };
      return { current: root.vidra.hls.currentLevel, switched: root.dataset.level };
    });
    expect(String(level.current)).toBe(level.switched);
  }, 60_000);

  it('lists the video on the home and channel pages', async () => {
    await page.goto(`${stack.edgeUrl}/`);
    const card = page.locator('.card', { hasText: 'Test pattern <b>bold</b>' });
    await expectOne(card);
    await expect(card.locator('img').getAttribute('src')).resolves.toMatch(/^\/play\/.+\/thumbnail\.jpg$/);
    await expect(card.locator('.duration').textContent()).resolves.toBe('0:08');
    await screenshot(page, '07-home');
    await page.goto(`${stack.edgeUrl}/c/creator`);
    await expectOne(page.locator('.card'));
    await screenshot(page, '08-channel');
  });

  it('tells another user that a private video does not exist', async () => {
    const created = await page.evaluate(async () => {
      const channels = await (await fetch('/api/v1/users/me/channels')).json();
      const res = await fetch('/api/v1/videos', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channelId: channels.items[0].id, title: 'Secret', privacy: 'private' }),
      });
      return (await res.json()).video.id as string;
    });
    const other = await browser.newContext();
    const otherPage = await trackedPage(other, errors);
    await registerInBrowser(otherPage, stack.edgeUrl, {
      email: 'viewer@example.com',
      username: 'viewer_2',
      password: 'another long password',
    });
    const url = `${stack.edgeUrl}/w/${created}`;
    const res = await otherPage.goto(url);
    expect(res?.status()).toBe(404);
    // Chromium reports a document answered with 404 on the console. That status is deliberate
    // (private videos are indistinguishable from missing ones), so exactly that entry is expected.
    const documentStatus = `${url}: Failed to load resource: the server responded with a status of 404 (Not Found)`;
    expect(errors).toContain(documentStatus);
    errors.splice(errors.indexOf(documentStatus), 1);
    await expect(otherPage.locator('main h1').textContent()).resolves.toBe('Video not found');
    await expect(otherPage.locator('main').textContent()).resolves.toContain('is private');
    await screenshot(otherPage, '09-private-video');
    await other.close();
  });

  it('fits a 375 px wide phone screen without horizontal scrolling', async () => {
    const phone = await browser.newContext({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
      storageState: await owner.storageState(),
    });
    const phonePage = await trackedPage(phone, errors);
    for (const path of ['/', `/w/${videoId}`, '/upload', '/c/creator', '/channels/new', '/register']) {
      await phonePage.goto(`${stack.edgeUrl}${path}`);
      const width = await phonePage.evaluate(() => document.documentElement.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(375);
    }
    await phonePage.goto(`${stack.edgeUrl}/w/${videoId}`);
    await screenshot(phonePage, '10-mobile-watch');
    await phonePage.goto(`${stack.edgeUrl}/`);
    await screenshot(phonePage, '11-mobile-home');
    await phonePage.goto(`${stack.edgeUrl}/upload`);
    await screenshot(phonePage, '12-mobile-upload');
    await phone.close();
  });

  it('unlocks a password video with the password form, for another viewer', async () => {
    const changed = await page.evaluate(async (id) => {
      const res = await fetch(`/api/v1/videos/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ privacy: 'password', password: 'open sesame' }),
      });
      return res.status;
    }, videoId);
    expect(changed).toBe(200);
    const visitor = await browser.newContext();
    const visitorPage = await trackedPage(visitor, errors);
    await visitorPage.goto(`${stack.edgeUrl}/w/${videoId}`);
    await expect(visitorPage.locator('main h1').textContent()).resolves.toBe(
      'This video is protected by a password',
    );
    await visitorPage.getByLabel('Video password').fill('open sesame');
    await screenshot(visitorPage, '13-password-form');
    await visitorPage.getByRole('button', { name: 'Watch' }).click();
    await visitorPage.locator('main h1', { hasText: 'Test pattern <b>bold</b>' }).waitFor();
    await visitorPage.getByRole('button', { name: 'Play' }).click();
    await visitorPage.waitForFunction(
      () => (document.querySelector('video') as HTMLVideoElement).currentTime > 0.5,
    );
    await visitor.close();
  });

  it('logged no console error and threw nothing in any page', () => {
    expect(errors).toEqual([]);
  });
});
