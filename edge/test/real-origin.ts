// biome-ignore-all lint/style/noRestrictedImports: a vitest globalSetup that runs in Node, never in workerd.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import type { TestProject } from 'vitest/node';
import { videos } from '../../db/schema/index.js';
import { recordRevocations } from '../../origin/src/services/playback/revocations.js';
import { createTestApp, TEST_CONFIG } from '../../origin/test/harness.js';
import { videoObjectKey } from '../../protocol/media.js';
import type { Privacy } from '../../protocol/video.js';
import { startUpstashBridge } from '../../scripts/upstash-bridge/server.js';
import './provided.js';

const MASTER =
  '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=426x240\n240p/index.m3u8\n';
const MEDIA = '#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:4.000,\nseg_00001.m4s\n#EXT-X-ENDLIST\n';

/**
 * Starts the real origin with seeded users and videos of every privacy level, their published
 * files in local storage, and two test hooks: `/__counts` (media requests that reached the origin)
 * and `/__slow` (delay media responses, so concurrent requests overlap for the collapsing test).
 */
export default async function setup(project: TestProject) {
  const t = await createTestApp('pglite');
  let mediaRequests = 0;
  let apiRequests = 0;
  let delayMs = 0;
  const server = serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === '/__counts') return Response.json({ media: mediaRequests, api: apiRequests });
      if (url.pathname === '/__slow') {
        delayMs = Number(url.searchParams.get('ms') ?? 0);
        return Response.json({ delayMs });
      }
      if (url.pathname === '/__revoke') {
        // What the edge-cache-purge subscriber writes for an event, without waiting on the outbox.
        const added = await recordRevocations(t.database.db, {
          eventKey: crypto.randomUUID(),
          reason: url.searchParams.get('reason') ?? 'video.privacy_changed',
          videoIds: [url.searchParams.get('video') ?? ''],
        });
        return Response.json({ added });
      }
      if (url.pathname === '/__rotate') {
        await t.services.keys.rotate();
        return Response.json({ ok: true });
      }
      if (url.pathname.startsWith('/internal/v1/media/')) {
        mediaRequests++;
        if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
      if (url.pathname.startsWith('/api/')) apiRequests++;
      return t.app.fetch(request);
    },
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const owner = await t.signUp('owner');
  const other = await t.signUp('other');
  const admin = await t.signUpAdmin();
  const channel = await t.call('POST', '/api/v1/channels', {
    token: owner.token,
    body: { handle: `edge_${owner.userId.slice(0, 6)}`, displayName: 'Edge tests' },
  });
  const ids = {} as Record<Privacy | 'processing' | 'revocable', string>;
  const cases = ['public', 'unlisted', 'private', 'internal', 'password', 'processing', 'revocable'] as const;
  for (const privacy of cases) {
    const res = await t.call('POST', '/api/v1/videos', {
      token: owner.token,
      body: {
        channelId: channel.body.id,
        title: privacy,
        privacy: privacy === 'processing' || privacy === 'revocable' ? 'public' : privacy,
        ...(privacy === 'password' ? { password: 'open sesame' } : {}),
      },
    });
    const id = res.body.video.id as string;
    ids[privacy] = id;
    if (privacy === 'processing') continue;
    // Stored the way a transcoder publishes: relative keys in the database, under the video's prefix.
    const put = (key: string, body: string | Uint8Array) => t.storage.put(videoObjectKey(id, key), body);
    await put('hls/master.m3u8', MASTER);
    await put('hls/240p/index.m3u8', MEDIA);
    await put('hls/240p/init.mp4', new Uint8Array(64).fill(7));
    await put('hls/240p/seg_00001.m4s', new Uint8Array(Array.from({ length: 1000 }, (_, i) => i % 256)));
    await put('hls/thumbnail.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    await put('hls/storyboard.vtt', 'WEBVTT\n\n00:00.000 --> 00:04.000\nstoryboard.jpg#xywh=0,0,160,90\n');
    await put('hls/storyboard.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    await t.database.db
      .update(videos)
      .set({
        state: 'ready',
        progress: 100,
        assets: {
          version: 1,
          master: 'hls/master.m3u8',
          thumbnail: 'hls/thumbnail.jpg',
          storyboardVtt: 'hls/storyboard.vtt',
        },
      })
      .where(eq(videos.id, id));
  }

  const bridge = await startUpstashBridge({
    redisUrl: process.env.REDIS_URL_TEST ?? 'redis://127.0.0.1:6379',
    token: 'edge-test-bridge-token',
  });

  project.provide('realOrigin', {
    upstash: { url: bridge.url, token: 'edge-test-bridge-token' },
    url,
    internalToken: TEST_CONFIG.internalApiToken,
    tokens: { owner: owner.token, other: other.token, admin: admin.token },
    ownerId: owner.userId,
    videos: ids,
    master: MASTER,
  });

  return async () => {
    await bridge.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  };
}
