import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { apiUser, type RunningPlatform, startPlatform } from '../support/platform.js';
import { generateClip, ROOT, waitFor } from '../support/stack.js';
import { uploadWhole } from '../support/tus.js';

const HLS_JS = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'screenshots');

/**
 * Issue 4's end-to-end check: a clip uploaded to an `npm start` stack plays from signed edge URLs
 * in real Chromium with hls.js, switches quality, and a tampered token is refused.
 */
describe('signed HLS playback in Chromium', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let page: Page;
  let hlsUrl: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    // With REDIS_URL, npm start puts the Upstash bridge in front of it for the edge's rate limits.
    platform = await startPlatform({ REDIS_URL: process.env.REDIS_URL_TEST ?? 'redis://127.0.0.1:6379' });
    const user = await apiUser(platform.edgeUrl, 'viewer_one_owner');
    const channel = await user.call('POST', '/api/v1/channels', {
      handle: 'viewer_one',
      displayName: 'Viewer one',
    });
    const { video } = await user.call('POST', '/api/v1/videos', {
      channelId: channel.id,
      title: 'Two renditions',
    });
    const clip = await generateClip(path.join(platform.dataDir, 'clip.mp4'), {
      width: 640,
      height: 360,
      seconds: 12,
    });
    await uploadWhole(readFileSync(clip), {
      endpoint: `${platform.edgeUrl}/api/v1/uploads`,
      token: user.token,
      videoId: video.id,
    });
    await waitFor(
      async () => {
        const v = await user.call('GET', `/api/v1/videos/${video.id}`);
        return v.state === 'ready' && v.progress === 100 ? v : undefined;
      },
      120_000,
      platform.output,
    );
    hlsUrl = (await user.call('POST', `/api/v1/videos/${video.id}/playback`)).hls;
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    await page.setContent(
      '<!doctype html><title>player</title><video id="v" muted playsinline width="640"></video>',
    );
    await page.addScriptTag({ content: readFileSync(HLS_JS, 'utf8') });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('runs the edge with Redis-backed rate limits', () => {
    expect(platform.output()).toMatch(/Limits: +Redis through http:\/\/127\.0\.0\.1:\d+/);
  });

  it('plays: currentTime advances', async () => {
    const levels = await page.evaluate(async (src) => {
      // biome-ignore lint/suspicious/noExplicitAny: hls.js is loaded as a page script, without types
      const w = window as unknown as { Hls: any; hls: any; switched: number[] };
      const video = document.getElementById('v') as HTMLVideoElement;
      const hls = new w.Hls({ capLevelToPlayerSize: false });
      w.hls = hls;
      w.switched = [];
      hls.on(w.Hls.Events.LEVEL_SWITCHED, (_: unknown, data: { level: number }) =>
        w.switched.push(data.level),
      );
      await new Promise<void>((resolve, reject) => {
        hls.on(w.Hls.Events.MANIFEST_PARSED, () => resolve());
        hls.on(w.Hls.Events.ERROR, (_: unknown, data: { fatal: boolean; details: string }) => {
          if (data.fatal) reject(new Error(data.details));
        });
        hls.loadSource(src);
        hls.attachMedia(video);
      });
      await video.play();
      return hls.levels.map((l: { height: number }) => l.height);
    }, hlsUrl);
    expect(levels).toEqual([240, 360]);
    await page.waitForFunction(
      () => (document.getElementById('v') as HTMLVideoElement).currentTime > 1.5,
      null,
      {
        timeout: 30_000,
      },
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'hlsjs-playing.png') });
  });

  it('switches quality on request', async () => {
    for (const target of [0, 1]) {
      await page.evaluate((level) => {
        (window as unknown as { hls: { currentLevel: number } }).hls.currentLevel = level;
      }, target);
      await page.waitForFunction(
        (level) => (window as unknown as { switched: number[] }).switched.at(-1) === level,
        target,
        { timeout: 30_000 },
      );
      const expectedHeight = target === 0 ? 240 : 360;
      await page.waitForFunction(
        (height) => (document.getElementById('v') as HTMLVideoElement).videoHeight === height,
        expectedHeight,
        { timeout: 30_000 },
      );
    }
    const time = await page.evaluate(() => (document.getElementById('v') as HTMLVideoElement).currentTime);
    expect(time).toBeGreaterThan(1.5);
  });

  it('refuses a tampered token with 403, from the browser too', async () => {
    const tampered = hlsUrl.replace(
      /\/play\/([^/]+)\//,
      (_m, token: string) => `/play/${token.slice(0, -4)}AAAA/`,
    );
    const result = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, body: await res.json() };
    }, tampered);
    expect(result.status).toBe(403);
    expect(result.body.error.code).toBe('forbidden');
    // The refused fetch is logged by Chromium; nothing else may be.
    expect(consoleErrors.filter((e) => !e.includes('403'))).toEqual([]);
  });
});
