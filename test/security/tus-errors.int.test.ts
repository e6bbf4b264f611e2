import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../origin/test/harness.js';
import { videoOf } from './helpers.js';

// Defends (issue 9): some tus errors were plain text labelled application/json; a wrong PATCH
// content type got 400, not 415.
describe('tus errors use the one JSON error shape on postgres', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp['signUp']>>;
  let uploadUrl: string;
  beforeAll(async () => {
    t = await createTestApp('postgres');
    owner = await t.signUp('tus');
    const id = await videoOf(t, owner, { privacy: 'public' });
    const created = await t.app.request('/api/v1/uploads', {
      method: 'POST',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-length': '100',
        'upload-metadata': `videoId ${Buffer.from(id).toString('base64')}`,
        authorization: `Bearer ${owner.token}`,
      },
    });
    uploadUrl = created.headers.get('location') as string;
  });
  afterAll(() => t.close());

  async function expectJsonError(res: Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await res.json(); // throws on plain text
    expect(body).toMatchObject({
      error: { code, message: expect.any(String), requestId: expect.any(String) },
    });
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  }
  const patch = (headers: Record<string, string>) =>
    t.app.request(uploadUrl, {
      method: 'PATCH',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        authorization: `Bearer ${owner.token}`,
        ...headers,
      },
      body: new Uint8Array(10),
    });

  it('answers a PATCH with a wrong or missing Content-Type with 415', async () => {
    await expectJsonError(await patch({ 'content-type': 'application/json' }), 415, 'unsupported_media_type');
    await expectJsonError(await patch({ 'content-type': 'text/plain' }), 415, 'unsupported_media_type');
  });

  it('answers a missing Tus-Resumable with 412 in JSON', async () => {
    const res = await t.app.request(uploadUrl, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(res.status).toBe(412);
    const post = await t.app.request('/api/v1/uploads', {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'upload-length': '1' },
    });
    await expectJsonError(post, 412, 'precondition_failed');
  });

  it('answers an invalid header, an offset conflict and an unknown upload in JSON', async () => {
    await expectJsonError(
      await patch({ 'content-type': 'application/offset+octet-stream', 'upload-offset': 'abc' }),
      400,
      'bad_request',
    );
    await expectJsonError(
      await patch({ 'content-type': 'application/offset+octet-stream', 'upload-offset': '50' }),
      409,
      'conflict',
    );
    const unknown = await t.app.request('/api/v1/uploads/0123456789abcdef0123456789abcdef', {
      method: 'PATCH',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
        authorization: `Bearer ${owner.token}`,
      },
      body: new Uint8Array(1),
    });
    await expectJsonError(unknown, 404, 'not_found');
  });

  it('answers a missing token and a missing videoId in JSON', async () => {
    const anon = await t.app.request('/api/v1/uploads', {
      method: 'POST',
      headers: { 'tus-resumable': '1.0.0', 'upload-length': '1' },
    });
    await expectJsonError(anon, 401, 'unauthorized');
    const noVideo = await t.app.request('/api/v1/uploads', {
      method: 'POST',
      headers: { 'tus-resumable': '1.0.0', 'upload-length': '1', authorization: `Bearer ${owner.token}` },
    });
    await expectJsonError(noVideo, 400, 'validation_failed');
  });
});
