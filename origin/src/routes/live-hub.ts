import { z } from '@hono/zod-openapi';
import { LiveStateInputSchema } from '../../../protocol/live.js';
import { HLS_DIR } from '../../../protocol/media.js';
import { authenticateRunnerRequest } from '../auth/runner-middleware.js';
import { ServiceError } from '../lib/errors.js';
import { createRouter, errorResponses } from '../lib/http.js';
import { pushLiveFile, pushLiveState } from '../services/live/hub-push.js';
import { readLiveHls } from '../services/live/hub-read.js';

const JobId = z.string().uuid();
const VideoId = z.string().uuid();
/** A part is ~200 ms and a segment a few seconds: far below this even for a high-bitrate source. */
const MAX_LIVE_FILE_BYTES = 64 * 1024 * 1024;

/**
 * What a live transcoder pushes to the origin's live hub (the live data path of
 * protocol/live.ts). Only the runner holding the `live` job's lease may push (else 409).
 */
export function liveRunnerRoutes() {
  const router = createRouter();
  router.use('/api/v1/runners/jobs/*', authenticateRunnerRequest());

  router.put('/api/v1/runners/jobs/:id/live/files/:rendition/:file', async (c) => {
    const length = Number(c.req.header('content-length') ?? 0);
    if (length > MAX_LIVE_FILE_BYTES)
      throw new ServiceError('payload_too_large', 'This live file is too large');
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength > MAX_LIVE_FILE_BYTES)
      throw new ServiceError('payload_too_large', 'This live file is too large');
    await pushLiveFile(c.get('services'), {
      jobId: JobId.parse(c.req.param('id')),
      runnerId: c.get('runnerId'),
      rendition: c.req.param('rendition'),
      file: c.req.param('file'),
      bytes,
    });
    return c.body(null, 204);
  });

  router.put('/api/v1/runners/jobs/:id/live/state', async (c) => {
    await pushLiveState(c.get('services'), {
      jobId: JobId.parse(c.req.param('id')),
      runnerId: c.get('runnerId'),
      state: LiveStateInputSchema.parse(await c.req.json()),
    });
    return c.body(null, 204);
  });

  const params = z.object({ id: JobId });
  router.openAPIRegistry.registerPath({
    method: 'put',
    path: '/api/v1/runners/jobs/{id}/live/files/{rendition}/{file}',
    tags: ['runners', 'live'],
    summary: 'Push an init segment, part or finished segment of a leased live job',
    description:
      'Parts stay in memory for the live edge; init segments and segments are also stored (the recording).',
    security: [{ runnerAuth: [] }],
    request: {
      params: params.extend({ rendition: z.string(), file: z.string() }),
      body: { content: { 'application/octet-stream': { schema: z.string() } } },
    },
    responses: { 204: { description: 'Kept' }, ...errorResponses(400, 401, 409, 413) },
  });
  router.openAPIRegistry.registerPath({
    method: 'put',
    path: '/api/v1/runners/jobs/{id}/live/state',
    tags: ['runners', 'live'],
    summary: 'Push the packager state of every rendition of a leased live job',
    security: [{ runnerAuth: [] }],
    request: {
      params,
      body: { content: { 'application/json': { schema: LiveStateInputSchema } }, required: true },
    },
    responses: {
      204: { description: 'Kept; blocked reloads it satisfies are answered' },
      ...errorResponses(400, 401, 409),
    },
  });
  return router;
}

/** What the edge reads of a live video. Mounted under the internal token check (`internalRoutes`). */
export function liveHlsRoutes() {
  const router = createRouter();
  router.get(`/internal/v1/live/:videoId/${HLS_DIR}:path{.+}`, async (c) => {
    const answer = await readLiveHls(c.get('services'), {
      videoId: VideoId.parse(c.req.param('videoId')),
      path: c.req.param('path'),
      query: new URL(c.req.url).searchParams,
    });
    return new Response(answer.body, {
      headers: { 'content-type': answer.contentType, 'cache-control': answer.cacheControl },
    });
  });
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: `/internal/v1/live/{videoId}/${HLS_DIR}{path}`,
    tags: ['internal', 'live'],
    summary: "A live video's LL-HLS file, from this origin's live hub; `path` may contain a slash",
    description:
      'Media playlists honour `_HLS_msn`, `_HLS_part` and `_HLS_skip` (blocking reload: 400 too far ahead, 503 on timeout). 404 when the video is not live on this origin.',
    security: [{ internalAuth: [] }],
    request: {
      params: z.object({ videoId: VideoId, path: z.string() }),
      query: z.object({
        _HLS_msn: z.string().optional(),
        _HLS_part: z.string().optional(),
        _HLS_skip: z.string().optional(),
      }),
    },
    responses: {
      200: { description: 'The file', content: { 'application/octet-stream': { schema: z.string() } } },
      ...errorResponses(400, 401, 404, 503),
    },
  });
  return router;
}
