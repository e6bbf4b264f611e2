import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { type Push, pushTestStream as push, pushThenOffAir, waitOnAir } from '../support/live.js';
import { apiUser, type RunningPlatform, startPlatform } from '../support/platform.js';
import { generateClip, waitFor } from '../support/stack.js';
import { uploadWhole } from '../support/tus.js';

const HLS_JS = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');
const PUSH_SECONDS = 14;

/** What the tests read from a live media playlist. */
interface MediaPlaylist {
  text: string;
  /** msn of the segment the newest part belongs to, and how many parts it has listed so far. */
  msn: number;
  partsInProgress: number;
  /** Program date time of the newest finished segment's start, in ms since the epoch. */
  newestSegmentPdt: number | undefined;
  partUris: string[];
  segmentUris: string[];
}

/** Parse a live media playlist: media sequence, parts of the segment in progress, PDT. */
function parseMedia(text: string): MediaPlaylist {
  const lines = text.split('\n').map((line) => line.trim());
  let msn = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? 0);
  let partsInProgress = 0;
  let pdt: number | undefined;
  let newestSegmentPdt: number | undefined;
  const partUris: string[] = [];
  const segmentUris: string[] = [];
  let pendingDuration = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) pdt = Date.parse(line.slice(25));
    else if (line.startsWith('#EXT-X-PART:')) {
      const uri = /URI="([^"]+)"/.exec(line)?.[1];
      if (uri) partUris.push(uri);
      partsInProgress++;
    } else if (line.startsWith('#EXTINF:')) {
      pendingDuration = Number.parseFloat(line.slice(8));
    } else if (line && !line.startsWith('#')) {
      segmentUris.push(line);
      newestSegmentPdt = pdt;
      if (pdt !== undefined) pdt += pendingDuration * 1000;
      msn++;
      partsInProgress = 0;
    }
  }
  return { text, msn, partsInProgress, newestSegmentPdt, partUris, segmentUris };
}

/**
 * Live playback end to end through `npm start`: an encoder publishes to the in-process ingest, the
 * in-process transcoder packages LL-HLS and pushes it to the origin's hub, and viewers read it
 * through the edge (playlists, blocking reloads, parts, segments, hls.js in Chromium), until the
 * stream ends with `EXT-X-ENDLIST`.
 */
describe('live: playback through npm start', () => {
  let platform: RunningPlatform;
  let owner: Awaited<ReturnType<typeof apiUser>>;
  let browser: Browser;
  let page: Page;
  let pushing: Promise<Push>;
  let pushStarted: number;
  let videoId: string;
  let masterUrl: string;
  let mediaUrl: string;
  let clip: Buffer;
  let channelId: string;
  /** An upload started once the stream is on air: ready, and whether the stream still was. */
  let uploadWhileLive: Promise<{ ready: { state: string; renditions: unknown[] }; liveMeanwhile: string }>;
  const handle = 'onstage';
  const video = (id: string) => owner.call('GET', `/api/v1/videos/${id}`);

  beforeAll(async () => {
    platform = await startPlatform({ LIVE_RECONNECT_SECONDS: '3', X264_PRESET: 'ultrafast' });
    owner = await apiUser(platform.edgeUrl, 'stager');
    channelId = (await owner.call('POST', '/api/v1/channels', { handle, displayName: 'On stage' })).id;
    clip = readFileSync(
      await generateClip(path.join(platform.dataDir, 'clip.mp4'), { width: 320, height: 240, seconds: 2 }),
    );
    const created = await owner.call('POST', `/api/v1/channels/${handle}/live`);
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setContent(
      '<!doctype html><title>live</title><video id="v" muted playsinline width="320"></video>',
    );
    await page.addScriptTag({ content: readFileSync(HLS_JS, 'utf8') });
    pushStarted = Date.now();
    pushing = push(`${created.ingest.rtmpUrl}/${created.ingest.streamKey}`, PUSH_SECONDS);
  }, 180_000);

  /** Upload a clip and wait until it is transcoded, noting the live video's state at that moment. */
  async function transcodeWhileLive() {
    const started = Date.now();
    const created = await owner.call('POST', '/api/v1/videos', { channelId, title: 'Meanwhile' });
    const target = { endpoint: `${platform.edgeUrl}/api/v1/uploads`, token: owner.token };
    const { completed } = await uploadWhole(clip, { ...target, videoId: created.video.id });
    if (!completed) throw new Error('the upload did not complete');
    const ready = await waitFor(
      async () => {
        const current = await video(created.video.id);
        return current.state === 'ready' ? current : undefined;
      },
      30_000,
      platform.output,
    );
    console.log(`an upload made while on air was ready ${Date.now() - started} ms later`);
    return { ready, liveMeanwhile: (await video(videoId)).state as string };
  }

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('goes live', async () => {
    const onAir = await waitOnAir(
      () => owner.call('GET', `/api/v1/channels/${handle}/live`),
      platform.output,
    );
    videoId = onAir.videoId;
    expect(await video(videoId)).toMatchObject({ id: videoId, state: 'live' });
    console.log(`time to live: ${Date.now() - pushStarted} ms after the push started`);
    uploadWhileLive = transcodeWhileLive();
  }, 20_000);

  it('serves LL-HLS through the edge: parts, server control, a fresh PDT, blocking reloads', async () => {
    const playback = await owner.call('POST', `/api/v1/videos/${videoId}/playback`);
    expect(playback, JSON.stringify(playback)).toMatchObject({ live: true, hls: expect.any(String) });
    masterUrl = playback.hls;
    expect(masterUrl.startsWith(`${platform.edgeUrl}/play/`)).toBe(true);

    // The first parts reach the hub a moment after the video is live.
    const master = await waitFor(
      async () => {
        const res = await fetch(masterUrl);
        return res.status === 200 ? { res, text: await res.text() } : undefined;
      },
      10_000,
      platform.output,
    );
    expect(master.res.headers.get('content-type')).toMatch(/mpegurl/i);
    expect(master.text).toMatch(/^#EXTM3U/);
    const variant = master.text.split('\n').find((line) => line.trim() && !line.startsWith('#'));
    expect(variant).toBeDefined();
    mediaUrl = new URL((variant as string).trim(), masterUrl).toString();

    const media = await waitFor(
      async () => {
        const res = await fetch(mediaUrl);
        if (res.status !== 200) return undefined;
        const parsed = parseMedia(await res.text());
        return parsed.segmentUris.length > 0 && parsed.partUris.length > 0 ? { res, parsed } : undefined;
      },
      10_000,
      platform.output,
    );
    const fetchedAt = Date.now();
    expect(media.res.headers.get('content-type')).toMatch(/mpegurl/i);
    expect(media.res.headers.get('access-control-allow-origin')).toBe('*');
    const { text } = media.parsed;
    expect(text).toContain('#EXT-X-PART:');
    expect(text).toMatch(/#EXT-X-SERVER-CONTROL:.*CAN-BLOCK-RELOAD=YES/);
    expect(text).toContain('#EXT-X-PROGRAM-DATE-TIME:');
    const pdt = media.parsed.newestSegmentPdt;
    expect(pdt).toBeDefined();
    const pdtAge = fetchedAt - (pdt as number);
    console.log(`PDT age of the newest segment: ${pdtAge} ms`);
    expect(Math.abs(pdtAge)).toBeLessThan(3_000);

    // A blocking reload for the part after the newest answers once that part exists.
    const { msn, partsInProgress } = media.parsed;
    const asked = Date.now();
    const blocked = await fetch(
      `${mediaUrl}${mediaUrl.includes('?') ? '&' : '?'}_HLS_msn=${msn}&_HLS_part=${partsInProgress}`,
    );
    const waited = Date.now() - asked;
    expect(blocked.status).toBe(200);
    const after = parseMedia(await blocked.text());
    console.log(`blocking reload for ${msn}.${partsInProgress} answered after ${waited} ms`);
    expect(after.msn > msn || (after.msn === msn && after.partsInProgress > partsInProgress)).toBe(true);
    expect(waited).toBeLessThan(3_000);

    // A part and a segment are fetchable through the edge.
    const partUrl = new URL(after.partUris.at(-1) as string, mediaUrl).toString();
    const part = await fetch(partUrl);
    expect(part.status).toBe(200);
    expect(part.headers.get('content-type')).toBe('video/iso.segment');
    expect(part.headers.get('access-control-allow-origin')).toBe('*');
    expect((await part.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const segmentUrl = new URL(after.segmentUris.at(-1) as string, mediaUrl).toString();
    const segment = await fetch(segmentUrl);
    expect(segment.status).toBe(200);
    expect(segment.headers.get('content-type')).toBe('video/iso.segment');
    expect((await segment.arrayBuffer()).byteLength).toBeGreaterThan(1_000);
  }, 30_000);

  it('plays in Chromium with hls.js in low-latency mode', async () => {
    const consoleErrors: string[] = [];
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    await page.evaluate(async (src) => {
      // biome-ignore lint/suspicious/noExplicitAny: hls.js is loaded as a page script, without types
      const w = window as unknown as { Hls: any; hls: any; hlsErrors: string[] };
      const element = document.getElementById('v') as HTMLVideoElement;
      const hls = new w.Hls({ lowLatencyMode: true });
      w.hls = hls;
      w.hlsErrors = [];
      await new Promise<void>((resolve, reject) => {
        hls.on(w.Hls.Events.MANIFEST_PARSED, () => resolve());
        hls.on(w.Hls.Events.ERROR, (_: unknown, data: { fatal: boolean; details: string }) => {
          w.hlsErrors.push(`${data.fatal ? 'fatal ' : ''}${data.details}`);
          if (data.fatal) reject(new Error(data.details));
        });
        hls.loadSource(src);
        hls.attachMedia(element);
      });
      await element.play();
    }, masterUrl);
    await page.waitForFunction(
      () => (document.getElementById('v') as HTMLVideoElement).currentTime > 0,
      null,
      {
        timeout: 10_000,
      },
    );
    const start = await page.evaluate(() => (document.getElementById('v') as HTMLVideoElement).currentTime);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const state = await page.evaluate(() => {
      const w = window as unknown as { hls: { latency: number }; hlsErrors: string[] };
      return {
        currentTime: (document.getElementById('v') as HTMLVideoElement).currentTime,
        latency: w.hls.latency,
        errors: w.hlsErrors,
      };
    });
    console.log(
      `hls.js: currentTime ${start.toFixed(2)} -> ${state.currentTime.toFixed(2)} s, latency ${state.latency.toFixed(2)} s, errors ${JSON.stringify(state.errors)}`,
    );
    expect(state.currentTime - start).toBeGreaterThan(2);
    expect(state.latency).toBeGreaterThan(0);
    expect(state.latency).toBeLessThan(5);
    expect(consoleErrors).toEqual([]);
  }, 30_000);

  it("plays on the web watch page: the player's low-latency mode shows a latency", async () => {
    const watch = await browser.newPage();
    const errors: string[] = [];
    watch.on('pageerror', (error) => errors.push(String(error)));
    await watch.goto(`${platform.edgeUrl}/w/${videoId}`);
    await watch.locator('[data-player][data-live="true"]').waitFor({ timeout: 5_000 });
    await watch.getByRole('button', { name: 'Play' }).click();
    await watch.waitForFunction(
      () => (document.querySelector('video') as HTMLVideoElement).currentTime > 1,
      null,
      {
        timeout: 8_000,
      },
    );
    // The player shows hls.latency every 500 ms: read it after two updates while playing.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const latency = await watch.evaluate(
      () => (document.querySelector('[data-player]') as HTMLElement).dataset.latency,
    );
    const seconds = Number(latency);
    console.log(`watch page: latency ${seconds.toFixed(2)} s`);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(5);
    expect(errors).toEqual([]);
    await watch.close();
  }, 20_000);

  it('transcodes an upload while on air: the live job holds only one of the transcoder slots', async () => {
    const { ready, liveMeanwhile } = await uploadWhileLive;
    expect(ready.renditions).toEqual([expect.objectContaining({ width: 320, height: 240 })]);
    expect(liveMeanwhile).toBe('live');
  }, 30_000);

  it('ends once the push stopped and the window passed: EXT-X-ENDLIST, then a replay of the same length', async () => {
    const { done, ended } = await pushThenOffAir(pushing, () => video(videoId), platform.output);
    expect(done.code, done.stderr).toBe(0);
    // Recording is on by default: the ended live goes on to become a replay at once.
    expect(['ended', 'queued', 'transcoding', 'ready']).toContain(ended.state);
    const res = await fetch(mediaUrl);
    const body = await res.text();
    console.log(
      `after the end the media playlist answers ${res.status}${res.status === 200 ? ` (ENDLIST: ${body.includes('#EXT-X-ENDLIST')})` : ''}`,
    );
    if (res.status === 200) expect(body).toContain('#EXT-X-ENDLIST');
    else {
      // The hub has let the stream go: the edge answers the end with a clean error, not a 5xx.
      expect(res.status, body).toBeLessThan(500);
      expect(res.headers.get('content-type')).toMatch(/json/);
    }
    const replay = await waitFor(
      async () => {
        const current = await video(videoId);
        return current.state === 'ready' ? current : undefined;
      },
      60_000,
      platform.output,
    );
    console.log(`replay ready: ${replay.durationSeconds} s recorded of a ${PUSH_SECONDS} s push`);
    // The segment in progress when the encoder stopped is not finished (up to 1 s short), and on a
    // loaded machine the live FFmpeg joins the push up to a second or two late.
    expect(replay.durationSeconds).toBeGreaterThanOrEqual(PUSH_SECONDS - 3);
    expect(replay.durationSeconds).toBeLessThanOrEqual(PUSH_SECONDS + 0.5);
  }, 120_000);
});
