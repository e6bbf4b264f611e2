import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { videos } from '../../db/schema/index.js';
import { createTestApp } from '../../origin/test/harness.js';

/**
 * A real origin (PGlite) on a loopback port whose videos are published by hand: a master playlist,
 * one 720p variant and one 256 KiB segment each, with no FFmpeg. Counts the media fetches that
 * reach it, so benches can tell what the edge's cache absorbed.
 */
export async function startBenchOrigin() {
  const origin = await createTestApp('pglite');
  let mediaFetches = 0;
  const server = serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(request) {
      if (new URL(request.url).pathname.startsWith('/internal/v1/media/')) mediaFetches++;
      return origin.app.fetch(request);
    },
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const originUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const owner = await origin.signUp('bench');
  const channel = await origin.call('POST', '/api/v1/channels', {
    token: owner.token,
    body: { handle: 'bench', displayName: 'Bench' },
  });
  const segment = randomBytes(256 * 1024);
  async function publishedVideo(title: string): Promise<string> {
    const res = await origin.call('POST', '/api/v1/videos', {
      token: owner.token,
      body: { channelId: channel.body.id, title },
    });
    const id = res.body.video.id as string;
    const prefix = `videos/${id}/hls/`;
    await origin.storage.put(
      `${prefix}master.m3u8`,
      '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1280x720\n720p/index.m3u8\n',
    );
    await origin.storage.put(
      `${prefix}720p/index.m3u8`,
      '#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:4,\nseg_00001.m4s\n#EXT-X-ENDLIST\n',
    );
    await origin.storage.put(`${prefix}720p/seg_00001.m4s`, new Uint8Array(segment));
    await origin.database.db
      .update(videos)
      .set({ state: 'ready', progress: 100, assets: { version: 1, master: 'hls/master.m3u8' } })
      .where(eq(videos.id, id));
    return id;
  }
  return {
    originUrl,
    segment,
    publishedVideo,
    mediaFetches: () => mediaFetches,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await origin.close();
    },
  };
}
