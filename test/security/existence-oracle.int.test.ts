import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../origin/test/harness.js';
import { expectErrorShape, videoOf } from './helpers.js';

// Defends (issue 9): PATCH, DELETE and tus answered 403 for a real private video and 404 for a random id.
const RANDOM_ID = '6f1c5a8e-0000-4000-8000-000000000000';
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('existence is answered uniformly on postgres', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp['signUp']>>;
  let stranger: Awaited<ReturnType<TestApp['signUp']>>;
  beforeAll(async () => {
    t = await createTestApp('postgres');
    owner = await t.signUp('owner');
    stranger = await t.signUp('stranger');
  });
  afterAll(() => t.close());

  const tusCreate = (token: string, videoId: string) =>
    t.app.request('/api/v1/uploads', {
      method: 'POST',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-length': '100',
        'upload-metadata': `videoId ${b64(videoId)}`,
        authorization: `Bearer ${token}`,
      },
    });

  it('answers a stranger on a private video exactly like on a random id, whatever the method', async () => {
    const id = await videoOf(t, owner, { privacy: 'private' });
    for (const target of [id, RANDOM_ID]) {
      const patch = await t.call('PATCH', `/api/v1/videos/${target}`, {
        token: stranger.token,
        body: { title: 'x' },
      });
      const del = await t.call('DELETE', `/api/v1/videos/${target}`, { token: stranger.token });
      const get = await t.call('GET', `/api/v1/videos/${target}`, { token: stranger.token });
      const tus = await tusCreate(stranger.token, target);
      for (const res of [patch, del, get]) {
        expect(res.status).toBe(404);
        expectErrorShape(res.body, 'not_found');
        expect(res.body.error.message).toBe('Video not found');
      }
      expect(tus.status).toBe(404);
      expect((await tus.json()).error).toMatchObject({ code: 'not_found', message: 'Video not found' });
    }
  });

  it('answers a stranger on someone else’s upload like on an unknown upload (HEAD, PATCH, DELETE)', async () => {
    const id = await videoOf(t, owner, { privacy: 'private' });
    const created = await tusCreate(owner.token, id);
    expect(created.status).toBe(201);
    const mine = created.headers.get('location') as string;
    const unknown = '/api/v1/uploads/0123456789abcdef0123456789abcdef';
    for (const url of [mine, unknown]) {
      for (const method of ['HEAD', 'PATCH', 'DELETE']) {
        const res = await t.app.request(url, {
          method,
          headers: {
            'tus-resumable': '1.0.0',
            authorization: `Bearer ${stranger.token}`,
            ...(method === 'PATCH'
              ? { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }
              : {}),
          },
          ...(method === 'PATCH' ? { body: new Uint8Array(10) } : {}),
        });
        expect(res.status, `${method} ${url}`).toBe(404);
      }
    }
  });

  it('still says 403 on a video the stranger can see but not change, and lets owner and admin change it', async () => {
    const id = await videoOf(t, owner, { privacy: 'public' });
    const patch = await t.call('PATCH', `/api/v1/videos/${id}`, {
      token: stranger.token,
      body: { title: 'x' },
    });
    expect(patch.status).toBe(403);
    expectErrorShape(patch.body, 'forbidden');
    expect((await tusCreate(stranger.token, id)).status).toBe(403);
    const admin = await t.signUpAdmin();
    const privateId = await videoOf(t, owner, { privacy: 'private' });
    expect(
      (await t.call('PATCH', `/api/v1/videos/${privateId}`, { token: admin.token, body: { title: 'ok' } }))
        .status,
    ).toBe(200);
    expect(
      (await t.call('PATCH', `/api/v1/videos/${id}`, { token: owner.token, body: { title: 'ok' } })).status,
    ).toBe(200);
    expect((await t.call('DELETE', `/api/v1/videos/${privateId}`, { token: owner.token })).status).toBe(204);
  });
});
