import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { expect } from 'vitest';
import type { TestApp } from '../../origin/test/harness.js';

/** Serve the test app on a real socket, so the origin sees a real peer address (127.0.0.1). */
export async function listen(t: TestApp): Promise<{ url: string; close(): Promise<void> }> {
  const server = serve({ fetch: t.app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A user with a channel and one video of the given privacy; returns the video id. */
export async function videoOf(
  t: TestApp,
  owner: { token: string; userId: string },
  body: { privacy: string; password?: string; title?: string },
): Promise<string> {
  const channel = await t.call('POST', '/api/v1/channels', {
    token: owner.token,
    body: { handle: `c_${Math.random().toString(36).slice(2, 10)}`, displayName: 'Channel' },
  });
  const video = await t.call('POST', '/api/v1/videos', {
    token: owner.token,
    body: { channelId: channel.body.id, title: body.title ?? 'A video', ...body },
  });
  if (video.status !== 201) throw new Error(`video: ${video.status} ${JSON.stringify(video.body)}`);
  return video.body.video.id as string;
}

/** The one JSON error shape, with the given code and a request id. */
export function expectErrorShape(body: unknown, code: string): void {
  expect(body).toMatchObject({ error: { code, message: expect.any(String), requestId: expect.any(String) } });
  expect((body as { error: { requestId: string } }).error.requestId).not.toBe('');
}
