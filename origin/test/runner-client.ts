import { expect } from 'vitest';
import { enqueueTranscode } from '../src/services/jobs/queue.js';
import { transitionVideo } from '../src/services/videos/lifecycle.js';
import { TEST_CONFIG, type TestApp } from './harness.js';

/** Outputs of a one-rung ladder, as a runner would publish them. */
export const ONE_RUNG_OUTPUTS = {
  durationSeconds: 4,
  master: 'hls/master.m3u8',
  renditions: [
    {
      name: '240p',
      width: 426,
      height: 240,
      bitrate: 400_000,
      codecs: 'avc1.64000d,mp4a.40.2',
      playlist: 'hls/240p/index.m3u8',
    },
  ],
  thumbnail: 'hls/thumbnail.jpg',
  storyboard: { image: 'hls/storyboard.jpg', vtt: 'hls/storyboard.vtt' },
};

/** A transcoder talking to the origin over the real runner HTTP API. */
export async function registerTestRunner(t: TestApp, name = 'r') {
  const res = await t.call('POST', '/api/v1/runners/register', {
    body: { registrationToken: TEST_CONFIG.runnerRegistrationToken, name },
  });
  expect(res.status).toBe(201);
  const token = res.body.runnerToken as string;
  const post = (p: string, body?: unknown) =>
    t.call('POST', `/api/v1/runners/jobs/${p}`, { token, ...(body ? { body } : {}) });
  return { token, post, putOutputs: (jobId: string) => putTestOutputs(t, token, jobId) };
}

/** Upload the files of `ONE_RUNG_OUTPUTS` for a job, as the runner holding `token`. */
export async function putTestOutputs(t: TestApp, token: string, jobId: string) {
  const { master, renditions, thumbnail, storyboard } = ONE_RUNG_OUTPUTS;
  for (const file of [
    master,
    ...renditions.map((r) => r.playlist),
    thumbnail,
    storyboard.image,
    storyboard.vtt,
  ]) {
    const res = await t.app.request(`/api/v1/runners/jobs/${jobId}/files/${file}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.apple.mpegurl' },
      body: '#EXTM3U\n',
    });
    expect(res.status).toBe(204);
  }
}

/** A video of `channelId` with a queued transcode job, as after a completed upload. */
export async function queuedTestVideo(t: TestApp, token: string, channelId: string) {
  const res = await t.call('POST', '/api/v1/videos', { token, body: { channelId, title: 'job' } });
  const videoId = res.body.video.id as string;
  const job = await t.database.db.transaction(async (tx) => {
    await transitionVideo(tx, videoId, 'queued');
    return enqueueTranscode(tx, videoId, 2);
  });
  return { videoId, jobId: job.id };
}
