import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/lib/logger.js';
import { createTestApp, DRIVERS, TEST_CONFIG, type TestApp } from './harness.js';

const b64 = (value: string) => Buffer.from(value).toString('base64');

describe.each(DRIVERS)('tus uploads on %s', (driver) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp['signUp']>>;
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp(driver, {
      uploads: { maxBytes: 1024 * 1024, defaultQuotaBytes: 3 * 1024 * 1024, expirySeconds: 3600 },
    });
    owner = await t.signUp('uploader');
    channelId = (
      await t.call('POST', '/api/v1/channels', {
        token: owner.token,
        body: { handle: `up_${owner.userId.slice(0, 6)}`, displayName: 'Uploads' },
      })
    ).body.id;
  });
  afterAll(() => t.close());

  const newVideo = async (token = owner.token) =>
    (await t.call('POST', '/api/v1/videos', { token, body: { channelId, title: 'clip' } })).body.video
      .id as string;

  const create = (token: string | undefined, videoId: string, length: number, app = t.app) =>
    app.request('/api/v1/uploads', {
      method: 'POST',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-length': String(length),
        'upload-metadata': `videoId ${b64(videoId)},filename ${b64('clip.mp4')}`,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });

  const patch = (
    url: string,
    offset: number,
    chunk: Uint8Array<ArrayBuffer>,
    app = t.app,
    token = owner.token,
  ) =>
    app.request(url, {
      method: 'PATCH',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
        authorization: `Bearer ${token}`,
      },
      body: chunk,
    });

  const head = (url: string, app = t.app, token = owner.token) =>
    app.request(url, {
      method: 'HEAD',
      headers: { 'tus-resumable': '1.0.0', authorization: `Bearer ${token}` },
    });

  it('advertises tus 1.0.0 with creation, creation-with-upload, termination and expiration', async () => {
    const res = await t.app.request('/api/v1/uploads', { method: 'OPTIONS' });
    expect(res.headers.get('tus-version')).toContain('1.0.0');
    const extensions = res.headers.get('tus-extension') ?? '';
    for (const ext of ['creation', 'creation-with-upload', 'termination', 'expiration'])
      expect(extensions).toContain(ext);
  });

  it('uploads in chunks, survives an origin restart mid-way, then queues a transcode', async () => {
    const videoId = await newVideo();
    const bytes = new Uint8Array(randomBytes(300_000));
    const created = await create(owner.token, videoId, bytes.length);
    expect(created.status).toBe(201);
    const url = created.headers.get('location') as string;
    expect(url).toMatch(/^\/api\/v1\/uploads\/\w+/);
    expect(created.headers.get('upload-expires')).toBeTruthy();
    expect((await t.call('GET', `/api/v1/videos/${videoId}`, { token: owner.token })).body.state).toBe(
      'uploading',
    );

    expect((await patch(url, 0, bytes.subarray(0, 100_000))).status).toBe(204);

    // A second origin process on the same database and staging folder picks the upload up.
    const restarted = createApp({
      db: t.database.db,
      logger: createLogger('silent'),
      config: TEST_CONFIG,
      storage: t.storage,
      uploadStagingDir: t.uploadStagingDir,
    }).app;
    const offset = Number((await head(url, restarted)).headers.get('upload-offset'));
    expect(offset).toBe(100_000);
    expect((await patch(url, offset, bytes.subarray(offset, 200_000), restarted)).status).toBe(204);
    const last = await patch(url, 200_000, bytes.subarray(200_000), restarted);
    expect(last.status).toBe(204);

    const video = (await t.call('GET', `/api/v1/videos/${videoId}`, { token: owner.token })).body;
    expect(video.state).toBe('queued');
    const stored = await t.storage.get(`sources/${videoId}/original`);
    expect(stored?.totalSize).toBe(bytes.length);
    const received = Buffer.from(await new Response(stored?.body).arrayBuffer());
    expect(received.equals(Buffer.from(bytes))).toBe(true);
    const jobs = await t.database.db.query.jobs.findMany({ where: (j, { eq }) => eq(j.videoId, videoId) });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ kind: 'transcode', state: 'pending', attempts: 0 });
  });

  it('accepts creation-with-upload in one request', async () => {
    const videoId = await newVideo();
    const bytes = randomBytes(5000);
    const res = await t.app.request('/api/v1/uploads', {
      method: 'POST',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-length': String(bytes.length),
        'upload-metadata': `videoId ${b64(videoId)}`,
        'content-type': 'application/offset+octet-stream',
        authorization: `Bearer ${owner.token}`,
      },
      body: bytes,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('upload-offset')).toBe(String(bytes.length));
    expect((await t.call('GET', `/api/v1/videos/${videoId}`, { token: owner.token })).body.state).toBe(
      'queued',
    );
  });

  it('rejects an upload over the per-file limit with 413 before storing anything', async () => {
    const videoId = await newVideo();
    const res = await create(owner.token, videoId, 2 * 1024 * 1024);
    expect(res.status).toBe(413);
    const body = await res.json();
    expect(body.error.code).toBe('payload_too_large');
    expect(body.error.message).toMatch(/the limit is 1 MiB per upload/);
    expect((await t.call('GET', `/api/v1/videos/${videoId}`, { token: owner.token })).body.state).toBe(
      'created',
    );
  });

  it('enforces the per-user quota with 413 and a message naming the numbers', async () => {
    const user = await t.signUp('quota');
    const chan = (
      await t.call('POST', '/api/v1/channels', {
        token: user.token,
        body: { handle: `q_${user.userId.slice(0, 6)}`, displayName: 'Q' },
      })
    ).body.id;
    const video = async () =>
      (await t.call('POST', '/api/v1/videos', { token: user.token, body: { channelId: chan, title: 'q' } }))
        .body.video.id;
    for (let i = 0; i < 3; i++)
      expect((await create(user.token, await video(), 1024 * 1024)).status).toBe(201);
    const over = await create(user.token, await video(), 1024);
    expect(over.status).toBe(413);
    expect((await over.json()).error.message).toMatch(/exceed your quota: 3 MiB of 3 MiB used/);
  });

  it("refuses uploads to someone else's public video (403), anonymous ones (401) and unknown videos (404)", async () => {
    const videoId = await newVideo();
    const stranger = await t.signUp('stranger');
    const foreign = await create(stranger.token, videoId, 100);
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error).toMatchObject({
      code: 'forbidden',
      message: 'You can only upload to your own videos',
    });
    expect((await create(undefined, videoId, 100)).status).toBe(401);
    expect((await create(owner.token, '6f1c5a8e-0000-4000-8000-000000000000', 100)).status).toBe(404);

    // Nor may a stranger resume or read someone else's upload: it answers like one that does not exist.
    const mine = await create(owner.token, videoId, 100);
    const url = mine.headers.get('location') as string;
    expect((await head(url, t.app, stranger.token)).status).toBe(404);
    expect((await patch(url, 0, new Uint8Array(10), t.app, stranger.token)).status).toBe(404);
  });

  it('refuses a second upload to a video that already has one (409), and a deferred length (400)', async () => {
    const videoId = await newVideo();
    expect((await create(owner.token, videoId, 100)).status).toBe(201);
    expect((await create(owner.token, videoId, 100)).status).toBe(409);
    const deferred = await t.app.request('/api/v1/uploads', {
      method: 'POST',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-defer-length': '1',
        'upload-metadata': `videoId ${b64(await newVideo())}`,
        authorization: `Bearer ${owner.token}`,
      },
    });
    expect(deferred.status).toBe(400);
  });

  it('terminates an upload: its bytes go, the quota frees, and the video can take a new file', async () => {
    const videoId = await newVideo();
    const created = await create(owner.token, videoId, 1000);
    const url = created.headers.get('location') as string;
    await patch(url, 0, new Uint8Array(500));
    const res = await t.app.request(url, {
      method: 'DELETE',
      headers: { 'tus-resumable': '1.0.0', authorization: `Bearer ${owner.token}` },
    });
    expect(res.status).toBe(204);
    await expect
      .poll(async () => (await t.call('GET', `/api/v1/videos/${videoId}`, { token: owner.token })).body.state)
      .toBe('created');
    expect((await head(url)).status).toBe(404);
    expect((await create(owner.token, videoId, 1000)).status).toBe(201);
  });
});
