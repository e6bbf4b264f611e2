import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPipeStreamUrls } from '../../protocol/peertube.js';
import { launchChromium } from '../support/browser.js';
import { apiUser, type RunningPlatform, startPlatform } from '../support/platform.js';
import { ffprobeJson, generateClip, waitFor } from '../support/stack.js';
import { uploadWhole } from '../support/tus.js';
import {
  CLIENT_FIELDS,
  contractMismatches,
  fixtureBody,
  GRAYJAY_FIELDS,
  GRAYJAY_URL_SHAPES,
} from './fixtures.js';

const HLS_JS = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');

/**
 * Issue 15: a PeerTube client (NewPipe, Grayjay) browses and plays Vidra through the edge, with no
 * session and no playback API: only the URLs in `GET /api/v1/videos/{uuid}`.
 */
describe('a PeerTube client against Vidra', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let videoId: string;
  let privateId: string;
  // biome-ignore lint/suspicious/noExplicitAny: the answer is checked against recorded PeerTube JSON
  let detail: any;
  const anonymous = (url: string, init?: RequestInit) => fetch(`${platform.edgeUrl}${url}`, init);
  /** A PeerTube client's view report, anonymous; answers the status. */
  const reportView = async (body: Record<string, unknown>) =>
    (
      await anonymous(`/api/v1/videos/${videoId}/views`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).status;

  beforeAll(async () => {
    platform = await startPlatform();
    const user = await apiUser(platform.edgeUrl, 'pt_client');
    const channel = await user.call('POST', '/api/v1/channels', {
      handle: 'pt_channel',
      displayName: 'PT channel',
    });
    const { video } = await user.call('POST', '/api/v1/videos', {
      channelId: channel.id,
      title: 'Seen from NewPipe',
      description: 'Played by a PeerTube client',
      tags: ['newpipe'],
    });
    videoId = video.id;
    privateId = (
      await user.call('POST', '/api/v1/videos', {
        channelId: channel.id,
        title: 'Hidden',
        privacy: 'private',
      })
    ).video.id;
    const clip = await generateClip(path.join(platform.dataDir, 'clip.mp4'), {
      width: 640,
      height: 360,
      seconds: 6,
    });
    await uploadWhole(readFileSync(clip), {
      endpoint: `${platform.edgeUrl}/api/v1/uploads`,
      token: user.token,
      videoId,
    });
    await waitFor(
      async () => {
        const v = await user.call('GET', `/api/v1/videos/${videoId}`);
        return v.state === 'ready' && v.progress === 100 && !v.processing ? v : undefined;
      },
      180_000,
      platform.output,
    );
    const res = await anonymous(`/api/v1/videos/${videoId}`);
    expect(res.status).toBe(200);
    detail = await res.json();
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it("answers the video with every field the clients read, typed as PeerTube's recording", () => {
    const recorded = fixtureBody('peertubestreamextractor__hlsonlystreams_0');
    const fields = [...CLIENT_FIELDS.videoItem, ...CLIENT_FIELDS.videoDetail];
    expect(contractMismatches(detail, recorded, fields, ['support'])).toEqual([]);
    expect(detail).toMatchObject({
      uuid: videoId,
      name: 'Seen from NewPipe',
      duration: 6,
      isLive: false,
      privacy: { id: 1, label: 'Public' },
      tags: ['newpipe'],
      account: { name: 'pt_client', displayName: 'pt_client' },
      channel: { name: 'pt_channel', displayName: 'PT channel' },
    });
    expect(detail.streamingPlaylists[0].playlistUrl).toMatch(
      new RegExp(`/play/[\\w-]+\\.[\\w-]+\\.[\\w-]+/${videoId}-master\\.m3u8$`),
    );
    expect(
      detail.streamingPlaylists[0].files.map((f: { resolution: { id: number } }) => f.resolution.id),
    ).toEqual([360, 240]);
  });

  it('serves every URL a NewPipe-style derivation produces', async () => {
    const [streams] = newPipeStreamUrls(detail);
    expect(streams?.hls).toEqual(
      [360, 240].map((h) => detail.streamingPlaylists[0].playlistUrl.replace('-master.m3u8', `-${h}.m3u8`)),
    );
    for (const url of [streams?.master, ...(streams?.hls ?? []), ...(streams?.progressive ?? [])]) {
      const res = await fetch(url as string);
      expect(res.status, url).toBe(200);
      await res.arrayBuffer();
    }
    // A variant's playlist points at the rendition's files, which answer too.
    const variant = await (await fetch(streams?.hls[0] as string)).text();
    const segment = variant.split('\n').find((l) => l.endsWith('.m4s')) as string;
    expect(segment).toMatch(/^[\w-]+\/seg_\d{5}\.m4s$/);
    expect((await fetch(new URL(segment, streams?.hls[0]).href)).status).toBe(200);
  });

  it('serves the fragmented MP4 with ranges, and ffprobe reads it and the variant playlist', async () => {
    const [streams] = newPipeStreamUrls(detail);
    const file = streams?.progressive[0] as string;
    const whole = await fetch(file);
    const size = Number(whole.headers.get('content-length'));
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(size).toBeGreaterThan(1000);
    const ranged = await fetch(file, { headers: { range: 'bytes=100-199' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 100-199/${size}`);
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(
      Buffer.from(await whole.arrayBuffer()).subarray(100, 200),
    );
    expect((await fetch(file, { headers: { range: `bytes=${size}-` } })).status).toBe(416);
    for (const url of [file, streams?.hls[0] as string]) {
      const probe = await ffprobeJson(url);
      const video = probe.streams.find((s: { codec_type: string }) => s.codec_type === 'video');
      expect(video, url).toMatchObject({ codec_name: 'h264', height: 360 });
      expect(Number(probe.format.duration)).toBeGreaterThan(5);
    }
  });

  it('plays in hls.js from the playlistUrl and from a derived variant URL', async () => {
    const [streams] = newPipeStreamUrls(detail);
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>player</title><video id="v" muted playsinline></video>');
    await page.addScriptTag({ content: readFileSync(HLS_JS, 'utf8') });
    for (const src of [streams?.master as string, streams?.hls[1] as string]) {
      await page.evaluate(async (url) => {
        // biome-ignore lint/suspicious/noExplicitAny: hls.js is loaded as a page script, without types
        const w = window as unknown as { Hls: any; hls?: { destroy(): void } };
        w.hls?.destroy();
        const video = document.getElementById('v') as HTMLVideoElement;
        video.currentTime = 0;
        const hls = new w.Hls();
        w.hls = hls;
        await new Promise<void>((resolve, reject) => {
          hls.on(w.Hls.Events.MANIFEST_PARSED, () => resolve());
          hls.on(w.Hls.Events.ERROR, (_: unknown, data: { fatal: boolean; details: string }) => {
            if (data.fatal) reject(new Error(data.details));
          });
          hls.loadSource(url);
          hls.attachMedia(video);
        });
        await video.play();
      }, src);
      await page.waitForFunction(
        () => (document.getElementById('v') as HTMLVideoElement).currentTime > 1.5,
        null,
        {
          timeout: 30_000,
        },
      );
    }
    await page.close();
  });

  it('lists, searches and pages like PeerTube, and never shows a private video', async () => {
    const recorded = fixtureBody('peertubetrendingextractor__trending_0');
    for (const url of [
      '/api/v1/videos?sort=-trending&start=0&count=12',
      '/api/v1/videos?sort=-publishedAt&isLocal=true',
      '/api/v1/videos?sort=-views',
      '/api/v1/videos?sort=-likes',
      '/api/v1/search/videos?search=newpipe',
      '/api/v1/video-channels/pt_channel/videos?start=0&count=12',
      '/api/v1/accounts/pt_client/videos?start=0&count=12',
    ]) {
      const page = await (await anonymous(url)).json();
      expect(page.total, url).toBe(1);
      expect(
        page.data.map((v: { uuid: string }) => v.uuid),
        url,
      ).toEqual([videoId]);
      expect(contractMismatches(page.data[0], recorded.data[0], CLIENT_FIELDS.videoItem), url).toEqual([]);
    }
    expect((await anonymous(`/api/v1/videos/${privateId}`)).status).toBe(404);
    expect(await (await anonymous('/api/v1/videos?isLocal=false')).json()).toMatchObject({
      total: 0,
      data: [],
    });
    expect((await (await anonymous('/api/v1/videos?start=1&count=1')).json()).data).toEqual([]);
  });

  it('answers the video extras, the instance, channels and accounts in PeerTube shapes', async () => {
    const get = async (url: string) => {
      const res = await anonymous(url);
      expect(res.status, url).toBe(200);
      return res.json();
    };
    expect(await get(`/api/v1/videos/${videoId}/captions`)).toEqual({ total: 0, data: [] });
    expect(await get(`/api/v1/videos/${videoId}/chapters`)).toEqual({ chapters: [] });
    expect(await get(`/api/v1/videos/${videoId}/storyboards`)).toEqual({ storyboards: [] });
    expect(await get(`/api/v1/videos/${videoId}/description`)).toEqual({
      description: 'Played by a PeerTube client',
    });
    expect((await anonymous(`/api/v1/videos/${privateId}/captions`)).status).toBe(404);
    expect(await get('/api/v1/config')).toMatchObject({
      instance: { name: 'Vidra' },
      serverVersion: expect.any(String),
    });
    expect(await get('/api/v1/config/about')).toMatchObject({ instance: { name: 'Vidra' } });
    expect(await get('/api/v1/server/stats')).toMatchObject({ totalLocalVideos: 1, totalUsers: 1 });

    const channel = await get('/api/v1/video-channels/pt_channel');
    const recordedChannel = fixtureBody('peertubechannelextractor__documentarychannel_0');
    expect(contractMismatches(channel, recordedChannel, CLIENT_FIELDS.channel)).toEqual([]);
    const account = await get('/api/v1/accounts/pt_client');
    expect(
      contractMismatches(
        account,
        fixtureBody('peertubeaccountextractor__framasoft_0'),
        CLIENT_FIELDS.account,
        ['description'],
      ),
    ).toEqual([]);
    const channels = await get('/api/v1/accounts/pt_client/video-channels?start=0&count=12');
    expect(channels).toMatchObject({ total: 1, data: [{ name: 'pt_channel' }] });
    const found = await get('/api/v1/search/video-channels?search=pt');
    expect(contractMismatches(found.data[0], recordedChannel, CLIENT_FIELDS.channel)).toEqual([]);
    expect((await anonymous('/api/v1/accounts/pt_client@elsewhere.example')).status).toBe(404);
  });

  it('answers comment threads and counts views as PeerTube does', async () => {
    const user = await apiUser(platform.edgeUrl, 'pt_commenter');
    const root = await user.call('POST', `/api/v1/videos/${videoId}/comment-threads`, { text: 'First!' });
    await user.call('POST', `/api/v1/videos/${videoId}/comments/${root.comment.id}`, { text: 'A reply' });
    const threads = await (
      await anonymous(`/api/v1/videos/${videoId}/comment-threads?start=0&count=12`)
    ).json();
    const recorded = fixtureBody('peertubecommentsextractor__default_0');
    expect(threads.total).toBe(1);
    expect(contractMismatches(threads.data[0], recorded.data[0], CLIENT_FIELDS.comment)).toEqual([]);
    const thread = await (
      await anonymous(`/api/v1/videos/${videoId}/comment-threads/${root.comment.id}`)
    ).json();
    const nested = fixtureBody('peertubecommentsextractor__nestedcomments_1');
    expect(
      contractMismatches(thread.children[0].comment, nested.children[0].comment, CLIENT_FIELDS.comment),
    ).toEqual([]);
    expect(await reportView({ currentTime: 1 })).toBe(204);
  });

  it("opens PeerTube's watch URLs", async () => {
    const res = await anonymous(`/videos/watch/${videoId}`, { redirect: 'manual' });
    // The federation's content negotiation sends browsers on (peers asking for JSON-LD get the Video).
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/w/${videoId}`);
    const page = await anonymous(`/w/${videoId}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Seen from NewPipe');
  });

  it('answers every field the Grayjay plugin reads, to the queries it sends', async () => {
    const get = async (url: string, init?: RequestInit) => {
      const res = await anonymous(url, init);
      expect(res.status, url).toBe(200);
      return res.json();
    };
    const user = await apiUser(platform.edgeUrl, 'gj_commenter');
    const root = await user.call('POST', `/api/v1/videos/${videoId}/comment-threads`, {
      text: 'From Grayjay',
    });
    await user.call('POST', `/api/v1/videos/${videoId}/comments/${root.comment.id}`, { text: 'Reply' });

    expect(contractMismatches(await get('/api/v1/config'), {}, GRAYJAY_FIELDS.config)).toEqual([]);
    expect(contractMismatches(await get('/api/v1/config/about'), {}, GRAYJAY_FIELDS.about)).toEqual([]);
    const stats = await get('/api/v1/server/stats');
    expect(contractMismatches(stats, {}, GRAYJAY_FIELDS.stats)).toEqual([]);
    expect(stats.totalLocalVideoFilesSize).toBeGreaterThan(0);

    const recordedList = fixtureBody('peertubetrendingextractor__trending_0');
    // Its home sorts (`best` is its default), and its search filters and scopes.
    for (const url of [
      '/api/v1/videos?sort=best&start=0&count=20',
      '/api/v1/videos?sort=-hot&start=0&count=20',
      '/api/v1/videos?sort=publishedAt&categoryOneOf=1&languageOneOf=en',
      '/api/v1/search/videos?search=Seen&sort=-publishedAt&isLive=false&start=0&count=20',
      '/api/v1/search/videos?search=Seen&searchTarget=local&nsfw=false&durationMax=240',
      '/api/v1/video-channels/pt_channel/videos?sort=-publishedAt&start=0&count=20',
    ]) {
      const page = await get(url);
      expect(contractMismatches(page, recordedList, GRAYJAY_FIELDS.page), url).toEqual([]);
      expect(
        page.data.map((v: { uuid: string }) => v.uuid),
        url,
      ).toContain(videoId);
      const item = page.data.find((v: { uuid: string }) => v.uuid === videoId);
      expect(contractMismatches(item, recordedList.data[0], GRAYJAY_FIELDS.videoItem), url).toEqual([]);
    }

    // Its "Streams" feed asks for videos on air only.
    for (const url of ['/api/v1/search/videos?search=Seen&isLive=true', '/api/v1/videos?isLive=true']) {
      expect(await get(url), url).toMatchObject({ total: 0, data: [] });
    }
    expect((await anonymous('/api/v1/videos?isLive=maybe')).status).toBe(400);

    const recordedDetail = fixtureBody('peertubestreamextractor__hlsonlystreams_0');
    const fields = [...GRAYJAY_FIELDS.videoItem, ...GRAYJAY_FIELDS.videoDetail];
    expect(contractMismatches(detail, recordedDetail, fields)).toEqual([]);
    // It plays `streamingPlaylists[].playlistUrl` as HLS; its thumbnail is `thumbnailPath` on the host.
    expect((await anonymous(new URL(detail.streamingPlaylists[0].playlistUrl).pathname)).status).toBe(200);
    for (const image of [detail.thumbnailPath, detail.previewPath]) {
      const res = await anonymous(image);
      expect(res.status, image).toBe(200);
      expect(res.headers.get('content-type'), image).toMatch(/^image\/jpeg/);
    }
    expect((await anonymous(`/lazy-static/thumbnails/${privateId}.jpg`)).status).toBe(404);
    expect((await anonymous('/lazy-static/thumbnails/not-a-uuid.jpg')).status).toBe(404);
    expect(
      contractMismatches(await get(`/api/v1/videos/${videoId}/captions`), {}, GRAYJAY_FIELDS.captions),
    ).toEqual([]);
    expect(
      contractMismatches(await get(`/api/v1/videos/${videoId}/chapters`), {}, GRAYJAY_FIELDS.chapters),
    ).toEqual([]);

    const recordedChannel = fixtureBody('peertubechannelextractor__documentarychannel_0');
    expect(
      contractMismatches(
        await get('/api/v1/video-channels/pt_channel'),
        recordedChannel,
        GRAYJAY_FIELDS.channel,
      ),
    ).toEqual([]);
    const channels = await get('/api/v1/search/video-channels?search=pt&start=0&count=20');
    expect(contractMismatches(channels, {}, GRAYJAY_FIELDS.page)).toEqual([]);
    expect(contractMismatches(channels.data[0], recordedChannel, GRAYJAY_FIELDS.channelItem)).toEqual([]);

    const threads = await get(`/api/v1/videos/${videoId}/comment-threads?start=0&count=20`);
    const recordedThreads = fixtureBody('peertubecommentsextractor__default_0');
    expect(contractMismatches(threads, recordedThreads, GRAYJAY_FIELDS.page)).toEqual([]);
    const mine = threads.data.find((c: { id: number }) => c.id === root.comment.id);
    expect(contractMismatches(mine, recordedThreads.data[0], GRAYJAY_FIELDS.comment)).toEqual([]);
    const thread = await get(`/api/v1/videos/${videoId}/comment-threads/${root.comment.id}`);
    const nested = fixtureBody('peertubecommentsextractor__nestedcomments_1');
    expect(contractMismatches(thread, nested, GRAYJAY_FIELDS.thread)).toEqual([]);
    expect(
      contractMismatches(thread.children[0].comment, nested.children[0].comment, GRAYJAY_FIELDS.comment),
    ).toEqual([]);

    // Its playback tracker reports `currentTime`, and `viewEvent: 'seek'` after a seek.
    expect(await reportView({ currentTime: 12, viewEvent: 'seek' })).toBe(204);
  });

  it('hands out URLs Grayjay recognises as PeerTube content, and they answer', async () => {
    const videoPath = new URL(detail.url).pathname;
    expect(videoPath).toMatch(GRAYJAY_URL_SHAPES.video);
    const channelPath = new URL(detail.channel.url).pathname;
    expect(channelPath).toMatch(GRAYJAY_URL_SHAPES.channel);
    // The shapes it builds itself when a URL is missing, and the ones users paste.
    for (const url of [
      videoPath,
      `/videos/watch/${videoId}`,
      `/videos/embed/${videoId}`,
      `/w/${videoId}`,
      `/api/v1/videos/${videoId}`,
    ]) {
      expect(url).toMatch(GRAYJAY_URL_SHAPES.video);
      const res = await anonymous(url);
      expect(res.status, url).toBe(200);
    }
    for (const url of [
      channelPath,
      '/video-channels/pt_channel',
      '/c/pt_channel',
      '/api/v1/video-channels/pt_channel',
    ]) {
      expect(url).toMatch(GRAYJAY_URL_SHAPES.channel);
      const res = await anonymous(url);
      expect(res.status, url).toBe(200);
    }
  });
});
