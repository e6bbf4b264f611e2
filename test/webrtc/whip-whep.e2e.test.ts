import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRICKLE_CONTENT_TYPE } from '../../protocol/webrtc.js';
import { launchChromium } from '../support/browser.js';
import { type Push, pushTestStream, waitOnAir } from '../support/live.js';
import { apiUser, type RunningPlatform, startPlatform } from '../support/platform.js';
import { waitFor } from '../support/stack.js';
import { annexB, decodedFrames, playWhep, publishWhip, type WhipPublish } from './clients.js';
import { startTurn } from './turn.js';

const HLS_JS = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');

/**
 * WHIP in, WHEP and LL-HLS out, through `npm start`: a werift client publishes FFmpeg's H.264 +
 * Opus over WHIP at the edge; the live session starts; a werift WHEP client gets decodable frames
 * forwarded as is; hls.js plays the same live (Opus became AAC); a wrong key is refused before
 * any ICE and a revoked playback token gets no WHEP session.
 */
describe('webrtc: WHIP ingest, WHEP and HLS playback', () => {
  let platform: RunningPlatform;
  let owner: Awaited<ReturnType<typeof apiUser>>;
  let browser: Browser;
  let publish: WhipPublish;
  let streamKey: string;
  let videoId: string;
  let whep: string;
  let whipUrl: string;
  const handle = 'realtime';

  beforeAll(async () => {
    platform = await startPlatform({
      LIVE_RECONNECT_SECONDS: '3',
      X264_PRESET: 'ultrafast',
      INGEST_REVOCATION_POLL_MS: '1000',
    });
    owner = await apiUser(platform.edgeUrl, 'rtcowner');
    await owner.call('POST', '/api/v1/channels', { handle, displayName: 'Real time' });
    const created = await owner.call('POST', `/api/v1/channels/${handle}/live`);
    streamKey = created.ingest.streamKey;
    whipUrl = created.ingest.whipUrl;
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await publish?.stop();
    await browser?.close();
    await platform?.stop();
  });

  it('refuses a wrong stream key with 401 before any ICE', async () => {
    const wrong = await publishWhip(`${platform.edgeUrl}/whip`, 'not-the-key');
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body)).toMatchObject({ error: { code: 'unauthorized' } });
    expect(wrong.location).toBeNull();
    const none = await fetch(`${platform.edgeUrl}/whip`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp' },
      body: 'v=0\r\n',
    });
    expect(none.status).toBe(401);
  }, 30_000);

  it('publishes over WHIP and starts the live session', async () => {
    const started = Date.now();
    // The live API hands encoders the edge's WHIP URL.
    expect(whipUrl).toBe(`${platform.edgeUrl}/whip`);
    publish = await publishWhip(whipUrl, streamKey);
    expect(publish.status, publish.body).toBe(201);
    expect(publish.body).toMatch(/^v=0/);
    expect(publish.location).toMatch(/^\/whip\/sessions\/0\.[\w-]{22}$/);
    expect(publish.connected).toBe(true);
    console.log(`WHIP publisher connected ${Date.now() - started} ms after the POST`);
    const onAir = await waitOnAir(
      () => owner.call('GET', `/api/v1/channels/${handle}/live`),
      platform.output,
    );
    videoId = onAir.videoId;
    expect(await owner.call('GET', `/api/v1/videos/${videoId}`)).toMatchObject({ state: 'live' });
    console.log(`time to live over WHIP: ${Date.now() - started} ms`);
  }, 30_000);

  it('plays over WHEP: a werift client receives decodable frames, forwarded as is', async () => {
    const playback = await owner.call('POST', `/api/v1/videos/${videoId}/playback`);
    expect(playback).toMatchObject({
      live: true,
      whep: expect.stringMatching(/\/whep\/[\w-]+\.[\w-]+\.[\w-]+$/),
    });
    whep = playback.whep;
    const viewer = await playWhep(whep);
    expect(viewer.status, viewer.body).toBe(201);
    expect(viewer.location).toMatch(/^\/whep\/sessions\/0\.[\w-]{22}$/);
    await waitFor(async () => (viewer.videoPackets.length > 150 ? true : undefined), 10_000, platform.output);
    console.log(`WHEP first video packet ${viewer.firstPacketMs} ms after the POST`);
    expect(viewer.firstPacketMs).toBeLessThan(3_000);
    expect(viewer.audioPackets).toBeGreaterThan(0);
    const frames = decodedFrames(annexB(viewer.videoPackets));
    console.log(`WHEP: ${viewer.videoPackets.length} video packets, ${frames} decoded frames`);
    expect(frames).toBeGreaterThan(10);
    const stopped = await fetch(new URL(viewer.location as string, whep), { method: 'DELETE' });
    expect(stopped.status).toBe(200);
    await viewer.close();
  }, 30_000);

  it('plays the same live with hls.js (Opus transcoded to AAC)', async () => {
    const playback = await owner.call('POST', `/api/v1/videos/${videoId}/playback`);
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>live</title><video id="v" muted playsinline></video>');
    await page.addScriptTag({ content: readFileSync(HLS_JS, 'utf8') });
    const tracks = await page.evaluate(async (src) => {
      // biome-ignore lint/suspicious/noExplicitAny: hls.js is loaded as a page script, without types
      const w = window as unknown as { Hls: any };
      const element = document.getElementById('v') as HTMLVideoElement;
      const hls = new w.Hls({ lowLatencyMode: true });
      const parsed = await new Promise<{ audio: boolean }>((resolve, reject) => {
        hls.on(
          w.Hls.Events.MANIFEST_PARSED,
          (_: unknown, data: { audioTracks: unknown[]; levels: { audioCodec?: string }[] }) =>
            resolve({ audio: data.levels.some((l) => l.audioCodec?.startsWith('mp4a')) }),
        );
        hls.on(w.Hls.Events.ERROR, (_: unknown, data: { fatal: boolean; details: string }) => {
          if (data.fatal) reject(new Error(data.details));
        });
        hls.loadSource(src);
        hls.attachMedia(element);
      });
      await element.play();
      return parsed;
    }, playback.hls);
    await page.waitForFunction(
      () => (document.getElementById('v') as HTMLVideoElement).currentTime > 1.5,
      null,
      {
        timeout: 15_000,
      },
    );
    expect(tracks.audio).toBe(true);
    await page.close();
  }, 40_000);

  it('relays one WHEP session through a coturn on loopback (relay candidates only)', async () => {
    const turn = await startTurn();
    let viewer: Awaited<ReturnType<typeof playWhep>> | undefined;
    try {
      const iceServers = [{ urls: turn.url, username: turn.username, credential: turn.credential }];
      const relayed = await playWhep(whep, { iceServers, relayOnly: true });
      viewer = relayed;
      expect(relayed.status, relayed.body).toBe(201);
      const offer = relayed.pc?.localDescription?.sdp ?? '';
      expect(offer).toContain('typ relay');
      expect(offer).not.toContain('typ host');
      await waitFor(async () => (relayed.videoPackets.length > 60 ? true : undefined), 10_000, turn.log);
      expect(decodedFrames(annexB(relayed.videoPackets))).toBeGreaterThan(5);
    } finally {
      await viewer?.close();
      turn.stop();
      console.log(
        platform
          .output()
          .split('\n')
          .filter((l) => /WHIP|relay|publish|WHEP|packetiser/.test(l))
          .slice(-8)
          .join('\n'),
      );
    }
  }, 30_000);

  it('cuts a connected WHEP viewer and refuses its token once the video turns private', async () => {
    const watching = await playWhep(whep);
    expect(watching.status, watching.body).toBe(201);
    await waitFor(
      async () => (watching.videoPackets.length > 30 ? true : undefined),
      10_000,
      platform.output,
    );
    const patchedAt = Date.now();
    const patched = await owner.call('PATCH', `/api/v1/videos/${videoId}`, { privacy: 'private' });
    expect(patched).toMatchObject({ privacyName: 'private' });
    // The session makes no more requests once ICE is up: ingest follows the revocation feed and
    // cuts it (INGEST_REVOCATION_POLL_MS, 1 s here): its packets stop.
    const cutAt = await waitFor(
      async () => {
        const before = watching.videoPackets.length;
        await new Promise((resolve) => setTimeout(resolve, 700));
        return watching.videoPackets.length === before ? Date.now() : undefined;
      },
      15_000,
      platform.output,
    );
    console.log(`connected WHEP viewer cut ${cutAt - patchedAt} ms after the privacy change`);
    // And it stays cut: nothing more in the next 2 s, while the publisher goes on.
    const silent = watching.videoPackets.length;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(watching.videoPackets.length).toBe(silent);
    // The node forgot the session: trickle to it answers 404 (the client itself is never told:
    // WHEP has no signal for it; the watch page falls back to LL-HLS, which the edge refuses).
    const trickle = await fetch(new URL(watching.location as string, whep), {
      method: 'PATCH',
      headers: { 'content-type': TRICKLE_CONTENT_TYPE },
      body: 'a=end-of-candidates\r\n',
    });
    expect(trickle.status).toBe(404);
    await watching.close();
    const refused = await waitFor(
      async () => {
        const viewer = await playWhep(whep);
        await viewer.close();
        return viewer.status === 403 || viewer.status === 401 ? viewer : undefined;
      },
      25_000,
      platform.output,
    );
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'forbidden' } });
  }, 30_000);

  it('plays an RTMP-published live over WHEP in Chromium from the watch page, latency shown', async () => {
    const streamer = await apiUser(platform.edgeUrl, 'rtmpowner');
    await streamer.call('POST', '/api/v1/channels', { handle: 'rtmpstage', displayName: 'RTMP stage' });
    const created = await streamer.call('POST', '/api/v1/channels/rtmpstage/live');
    const pushing: Promise<Push> = pushTestStream(
      `${created.ingest.rtmpUrl}/${created.ingest.streamKey}`,
      25,
    );
    const onAir = await waitOnAir(
      () => streamer.call('GET', '/api/v1/channels/rtmpstage/live'),
      platform.output,
    );
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${platform.edgeUrl}/w/${onAir.videoId}`);
    await page.locator('[data-player][data-live="true"]').waitFor({ timeout: 5_000 });
    await page.getByRole('button', { name: 'Play' }).click();
    const realtime = page.getByRole('button', { name: 'Real-time' });
    await realtime.waitFor({ state: 'visible', timeout: 10_000 });
    const clicked = Date.now();
    await realtime.click();
    await page.waitForFunction(
      () => (document.querySelector('[data-player]') as HTMLElement).dataset.mode === 'realtime',
      null,
      {
        timeout: 15_000,
      },
    );
    await page.waitForFunction(
      () => (document.querySelector('video') as HTMLVideoElement).currentTime > 1,
      null,
      {
        timeout: 10_000,
      },
    );
    const firstFrameMs = Date.now() - clicked;
    await page.waitForFunction(
      () => Number((document.querySelector('[data-player]') as HTMLElement).dataset.latency) > 0,
      null,
      {
        timeout: 5_000,
      },
    );
    const seen = await page.evaluate(async () => {
      const root = document.querySelector('[data-player]') as HTMLElement & {
        vidra: { pc: RTCPeerConnection };
      };
      let framesDecoded = 0;
      for (const report of (await root.vidra.pc.getStats()).values())
        if (report.type === 'inbound-rtp' && report.kind === 'video') framesDecoded = report.framesDecoded;
      const video = document.querySelector('video') as HTMLVideoElement;
      return {
        framesDecoded,
        width: video.videoWidth,
        latency: Number(root.dataset.latency),
        shown: (root.querySelector('[data-latency-value]') as HTMLElement).textContent,
      };
    });
    console.log(
      `Chromium over WHEP (RTMP source): ${JSON.stringify(seen)}, playing ${firstFrameMs} ms after the click`,
    );
    expect(seen.framesDecoded).toBeGreaterThan(20);
    expect(seen.width).toBe(320);
    expect(seen.latency).toBeLessThan(1);
    expect(seen.shown).toMatch(/real-time/);
    expect(errors).toEqual([]);
    await page.close();
    await pushing;
  }, 60_000);
});
