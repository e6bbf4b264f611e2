import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { videos } from '../../db/schema/index.js';
import type { Privacy, VideoState } from '../../protocol/video.js';
import type { TestApp } from './harness.js';

export type TestUser = Awaited<ReturnType<TestApp['signUp']>>;

/** A new channel of `owner`, with a unique handle. */
export async function testChannel(t: TestApp, owner: TestUser) {
  const handle = `ch_${randomUUID().slice(0, 8)}`;
  const res = await t.call('POST', '/api/v1/channels', {
    token: owner.token,
    body: { handle, displayName: `Channel ${handle}` },
  });
  expect(res.status).toBe(201);
  return { id: res.body.id as string, handle };
}

/**
 * A video of the channel, created through the API; `state` is then set directly, standing in for
 * an upload and a transcode where the test is not about those.
 */
export async function testVideo(
  t: TestApp,
  owner: TestUser,
  channelId: string,
  options: { privacy?: Privacy; state?: VideoState; title?: string } = {},
) {
  const privacy = options.privacy ?? 'public';
  const res = await t.call('POST', '/api/v1/videos', {
    token: owner.token,
    body: {
      channelId,
      title: options.title ?? `${privacy} video`,
      privacy,
      ...(privacy === 'password' ? { password: 'open sesame' } : {}),
    },
  });
  expect(res.status).toBe(201);
  const id = res.body.video.id as string;
  if (options.state)
    await t.database.db.update(videos).set({ state: options.state }).where(eq(videos.id, id));
  return id;
}
