// biome-ignore-all lint/style/noRestrictedImports: a vitest globalSetup that runs in Node, never in workerd.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import type { TestProject } from 'vitest/node';
import { federationDeliveries, jobs, notifications, videos } from '../../db/schema/index.js';
import { createTestApp, TEST_CONFIG } from '../../origin/test/harness.js';
import { videoObjectKey } from '../../protocol/media.js';
import { JOB_KINDS } from '../../protocol/runner.js';
import { WEB_CASES, type WebCase } from './provided.js';

const HOSTILE_TITLE = '<script>alert("owned")</script> & <b>friends</b>';

/**
 * Starts the real origin on a loopback port with a channel owner, another user and a newcomer,
 * and one video per state or privacy case the watch page distinguishes. The ready video has a
 * thumbnail in storage, so lists can show signed thumbnail URLs; `encoding` is ready from its
 * fast-first-play rendition while a leased job encodes the ladder (40%); `live` is on air and
 * `ended` a live that stopped. A second channel of the owner is left for the Go-live page tests.
 */
export default async function setup(project: TestProject) {
  // A WHIP URL as `npm start` hands encoders (the edge's /whip), so the Go-live page shows it.
  const t = await createTestApp('pglite', {
    live: { ...TEST_CONFIG.live, whipUrl: 'https://edge.example/whip' },
  });
  const server = serve({ hostname: '127.0.0.1', port: 0, fetch: (request) => t.app.fetch(request) });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const owner = await t.signUp('owner');
  const other = await t.signUp('other');
  const newcomer = await t.signUp('newbie');
  const handle = `web_${owner.userId.slice(0, 6)}`;
  const channel = await t.call('POST', '/api/v1/channels', {
    token: owner.token,
    body: { handle, displayName: 'Web <Studio>', description: 'Tests & more' },
  });
  const liveHandle = `live_${owner.userId.slice(0, 6)}`;
  await t.call('POST', '/api/v1/channels', {
    token: owner.token,
    body: { handle: liveHandle, displayName: 'Live <Desk>' },
  });
  const ids = {} as Record<WebCase, string>;
  for (const name of WEB_CASES) {
    const privacy = name === 'private' || name === 'password' || name === 'internal' ? name : 'public';
    const res = await t.call('POST', '/api/v1/videos', {
      token: owner.token,
      body: {
        channelId: channel.body.id,
        title: name === 'ready' ? HOSTILE_TITLE : `${name} video`,
        description: `About the ${name} video`,
        privacy,
        ...(privacy === 'password' ? { password: 'open sesame' } : {}),
      },
    });
    const id = res.body.video.id as string;
    ids[name] = id;
    if (name === 'retrying') {
      // Its first attempt failed on a full disk; the next waits out its backoff.
      await t.database.db.update(videos).set({ state: 'queued' }).where(eq(videos.id, id));
      await t.database.db.insert(jobs).values({
        videoId: id,
        kind: JOB_KINDS.transcode,
        state: 'pending',
        attempts: 1,
        maxAttempts: 6,
        runAfter: new Date('2031-01-02T03:04:05.000Z'),
        error: 'The storage is full (while storing seg_00001.m4s)',
        attemptFailures: [
          {
            attempt: 1,
            reason: 'The storage is full (while storing seg_00001.m4s)',
            at: '2031-01-02T03:03:55.000Z',
          },
        ],
      });
    } else if (name === 'processing') {
      await t.database.db.update(videos).set({ state: 'transcoding', progress: 40 }).where(eq(videos.id, id));
    } else if (name === 'live' || name === 'ended') {
      // As a live session makes them: no assets, on air or stopped.
      await t.database.db.update(videos).set({ state: name }).where(eq(videos.id, id));
    } else if (name === 'failed') {
      await t.database.db
        .update(videos)
        .set({ state: 'failed', error: 'The file has no video stream' })
        .where(eq(videos.id, id));
    } else {
      await t.storage.put(videoObjectKey(id, 'hls/master.m3u8'), '#EXTM3U\n');
      await t.storage.put(videoObjectKey(id, 'hls/thumbnail.jpg'), new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
      await t.database.db
        .update(videos)
        .set({
          state: 'ready',
          progress: 100,
          durationSeconds: 65,
          assets: { version: 1, master: 'hls/master.m3u8', thumbnail: 'hls/thumbnail.jpg' },
        })
        .where(eq(videos.id, id));
      if (name === 'ladderFailed') {
        const reason = 'The storage is read-only (while storing init.mp4)';
        await t.database.db.insert(jobs).values({
          videoId: id,
          kind: JOB_KINDS.transcode,
          state: 'failed',
          attempts: 2,
          maxAttempts: 2,
          progress: 10,
          error: reason,
          previewPublishedAt: new Date(),
          finishedAt: new Date(),
          attemptFailures: [
            { attempt: 1, reason, at: '2031-01-02T03:00:00.000Z' },
            { attempt: 2, reason, at: '2031-01-02T03:00:10.000Z' },
          ],
        });
      }
      if (name === 'encoding') {
        await t.database.db.insert(jobs).values({
          videoId: id,
          kind: JOB_KINDS.transcode,
          state: 'leased',
          runnerId: 'web-test-runner',
          leaseExpiresAt: new Date(Date.now() + 86_400_000),
          progress: 40,
          previewPublishedAt: new Date(),
        });
      }
    }
  }

  // One unread notice for `other`, as the notifications subscriber would store it.
  await t.database.db.insert(notifications).values({
    userId: other.userId,
    kind: 'new_video_from_subscription',
    channelId: channel.body.id,
    videoId: ids.ready,
    web: true,
    email: false,
    dedupeKey: 'web-origin-seed',
  });

  // Federation deliveries, for the admins' federation page: one host fine, one failing.
  const delivery = (host: string, n: number) => ({
    activityId: `https://web.example/activities/${n}`,
    inbox: `https://${host}/inbox`,
    host,
    senderActor: 'video-channels/web',
    activity: { id: `https://web.example/activities/${n}` },
  });
  await t.database.db.insert(federationDeliveries).values([
    { ...delivery('peer-fine.example', 1), state: 'delivered', attempts: 1 },
    {
      ...delivery('peer-down.example', 2),
      attempts: 6,
      lastError: 'HTTP 503',
      nextAttemptAt: new Date(Date.now() + 3_600_000),
    },
  ]);

  project.provide('webOrigin', {
    url,
    internalToken: TEST_CONFIG.internalApiToken,
    owner: { email: owner.email, password: owner.password, username: owner.username, handle },
    other: { email: other.email, password: other.password },
    newcomer: { email: newcomer.email, password: newcomer.password },
    liveHandle,
    videos: ids,
    hostileTitle: HOSTILE_TITLE,
  });
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  };
}
