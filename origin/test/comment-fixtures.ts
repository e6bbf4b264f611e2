import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Privacy } from '../../protocol/video.js';
import type { TestApp } from './harness.js';

export type TestUser = Awaited<ReturnType<TestApp['signUp']>>;

/** A channel of `owner`'s and a video in it, with the given privacy (and password when needed). */
export async function createOwnedVideo(
  t: TestApp,
  owner: TestUser,
  options: { privacy?: Privacy; commentsPolicy?: 'enabled' | 'disabled' | 'approval' } = {},
): Promise<string> {
  const channel = await t.call('POST', '/api/v1/channels', {
    token: owner.token,
    body: { handle: `c_${randomUUID().slice(0, 8)}`, displayName: 'Channel' },
  });
  expect(channel.status).toBe(201);
  const privacy = options.privacy ?? 'public';
  const video = await t.call('POST', '/api/v1/videos', {
    token: owner.token,
    body: {
      channelId: channel.body.id,
      title: 'Commented video',
      privacy,
      ...(privacy === 'password' ? { password: 'open sesame' } : {}),
    },
  });
  expect(video.status).toBe(201);
  if (options.commentsPolicy) {
    const changed = await t.call('PATCH', `/api/v1/videos/${video.body.video.id}`, {
      token: owner.token,
      body: { commentsPolicy: options.commentsPolicy },
    });
    expect(changed.status).toBe(200);
  }
  return video.body.video.id as string;
}

/** Post a thread (or a reply, with `inReplyTo`) and return the response. */
export function postComment(
  t: TestApp,
  user: TestUser | undefined,
  videoId: string,
  text: string,
  inReplyTo?: number,
) {
  const path = inReplyTo
    ? `/api/v1/videos/${videoId}/comments/${inReplyTo}`
    : `/api/v1/videos/${videoId}/comment-threads`;
  return t.call('POST', path, { ...(user ? { token: user.token } : {}), body: { text } });
}

/** Thread roots as `user` sees them. */
export async function threadsSeenBy(t: TestApp, user: TestUser | undefined, videoId: string, query = '') {
  return t.call(
    'GET',
    `/api/v1/videos/${videoId}/comment-threads${query}`,
    user ? { token: user.token } : {},
  );
}

/** The people of the social suites. The first account of an instance becomes its admin, so it signs up first. */
export async function signUpCast(t: TestApp) {
  const admin = await t.signUpAdmin();
  const [owner, alice, bob] = await Promise.all([t.signUp('owner'), t.signUp('alice'), t.signUp('bob')]);
  return { admin, owner, alice, bob };
}
