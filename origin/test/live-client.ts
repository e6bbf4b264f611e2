import { expect } from 'vitest';
import { TEST_CONFIG, type TestApp } from './harness.js';

const INTERNAL = { authorization: `Bearer ${TEST_CONFIG.internalApiToken}` };
let channels = 0;

/**
 * A new channel with a stream key (and the live settings given), its publisher authorized through
 * ingest's route: a session on air with a `live` video and a `live` job.
 */
export async function goLive(
  t: Pick<TestApp, 'call' | 'signUp'>,
  prefix: string,
  settings: { record?: boolean } = {},
) {
  const owner = await t.signUp(prefix);
  const handle = `${prefix}_${owner.userId.slice(0, 6)}_${channels++}`;
  const channel = await t.call('POST', '/api/v1/channels', {
    token: owner.token,
    body: { handle, displayName: prefix },
  });
  expect(channel.status).toBe(201);
  const key = await t.call('POST', `/api/v1/channels/${handle}/live`, { token: owner.token });
  if (Object.keys(settings).length > 0) {
    const patched = await t.call('PATCH', `/api/v1/channels/${handle}/live`, {
      token: owner.token,
      body: settings,
    });
    expect(patched.status).toBe(200);
  }
  const authorized = await t.call('POST', '/internal/v1/live/authorize', {
    headers: INTERNAL,
    body: {
      protocol: 'rtmp',
      streamKey: key.body.ingest.streamKey,
      pullBaseUrl: 'rtmp://ingest-1:1935/live',
      node: 'ingest-1',
    },
  });
  expect(authorized.status).toBe(200);
  return {
    owner,
    handle,
    videoId: authorized.body.videoId as string,
    sessionId: authorized.body.sessionId as string,
  };
}
