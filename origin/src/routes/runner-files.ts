import { z } from '@hono/zod-openapi';
import { sourceKey } from '../../../protocol/media.js';
import { OutputPathSchema } from '../../../protocol/runner.js';
import { authenticateRunnerRequest } from '../auth/runner-middleware.js';
import { LeaseGoneError, ServiceError, ValidationError } from '../lib/errors.js';
import { createRouter, errorResponses } from '../lib/http.js';
import { storedObjectResponse } from '../lib/stored-response.js';
import { removeFilesIfDeleted } from '../services/cleanup/queue.js';
import { storeJobOutput } from '../services/jobs/outputs.js';
import { findLeasedJob, videoOf } from '../services/jobs/queue.js';

const JobId = z.string().uuid();

/**
 * Binary transfers of the runner protocol: download the source (with Range, so a runner can
 * resume) and upload output files. Only the runner holding the job's lease may do either.
 */
export function runnerFileRoutes() {
  const router = createRouter();
  router.use('/api/v1/runners/jobs/*', authenticateRunnerRequest());

  router.get('/api/v1/runners/jobs/:id/source', async (c) => {
    const services = c.get('services');
    const job = await findLeasedJob(services, JobId.parse(c.req.param('id')), c.get('runnerId'));
    if (!job) throw new LeaseGoneError('This runner does not hold the job');
    const response = await storedObjectResponse(services.storage, sourceKey(videoOf(job)), c.req.raw);
    if (!response) throw new ServiceError('not_found', 'The source file of this video is missing');
    return response;
  });

  router.put('/api/v1/runners/jobs/:id/files/:path{.+}', async (c) => {
    const services = c.get('services');
    const job = await findLeasedJob(services, JobId.parse(c.req.param('id')), c.get('runnerId'));
    if (!job) throw new LeaseGoneError('This runner does not hold the job');
    const path = OutputPathSchema.safeParse(c.req.param('path'));
    if (!path.success) throw new ValidationError([{ path: 'path', message: 'Not a safe relative path' }]);
    const length = Number(c.req.header('content-length') ?? Number.NaN);
    const body = c.req.raw.body ?? new Uint8Array();
    await storeJobOutput(services.storage, {
      videoId: videoOf(job),
      path: path.data,
      body,
      options: {
        ...(c.req.header('content-type') ? { contentType: c.req.header('content-type') } : {}),
        ...(Number.isFinite(length) ? { contentLength: length } : {}),
      },
    });
    // The job may have been cancelled (its video deleted) while the bytes streamed in, and its
    // cleanup may have run already: take the file back out rather than leave it behind.
    if (!(await findLeasedJob(services, job.id, c.get('runnerId')))) {
      if (await removeFilesIfDeleted(services, videoOf(job)))
        throw new LeaseGoneError('The video of this job was deleted; the file was not kept');
      throw new LeaseGoneError('This runner no longer holds the job');
    }
    return c.body(null, 204);
  });

  const params = z.object({ id: JobId });
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/v1/runners/jobs/{id}/source',
    tags: ['runners'],
    summary: 'Download the source of a leased job (Range supported)',
    security: [{ runnerAuth: [] }],
    request: { params },
    responses: {
      200: { description: 'The source', content: { 'application/octet-stream': { schema: z.string() } } },
      206: {
        description: 'Part of the source',
        content: { 'application/octet-stream': { schema: z.string() } },
      },
      ...errorResponses(401, 404, 409),
    },
  });
  router.openAPIRegistry.registerPath({
    method: 'put',
    path: '/api/v1/runners/jobs/{id}/files/{path}',
    tags: ['runners'],
    summary:
      'Upload one output file of a leased job; `path` may contain slashes. A playlist naming files not stored yet is refused (409)',
    security: [{ runnerAuth: [] }],
    request: {
      params: params.extend({ path: OutputPathSchema }),
      body: { content: { 'application/octet-stream': { schema: z.string() } } },
    },
    responses: {
      204: { description: 'Stored' },
      ...errorResponses(400, 401, 409),
    },
  });
  return router;
}
