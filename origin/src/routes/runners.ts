import { createRoute, z } from '@hono/zod-openapi';
import {
  AcceptedJobSchema,
  FailInputSchema,
  JobOfferSchema,
  JobRequestInputSchema,
  ProgressInputSchema,
  PublishInputSchema,
  PublishOutcomeSchema,
  RegisteredRunnerSchema,
  RegisterRunnerInputSchema,
} from '../../../protocol/runner.js';
import { authenticateRunnerRequest } from '../auth/runner-middleware.js';
import { ConflictError, LeaseGoneError } from '../lib/errors.js';
import { createRouter, errorResponses } from '../lib/http.js';
import { acceptedJobView, waitForOffers } from '../services/jobs/offers.js';
import { publishJob } from '../services/jobs/publish.js';
import { acceptJob, heartbeat } from '../services/jobs/queue.js';
import { failJob, registerRunner, releaseJob } from '../services/jobs/runners.js';

const runnerSecurity = [{ runnerAuth: [] }];
const JobParams = z.object({ id: z.string().uuid() });
const body = <T>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const ok = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const registerRoute = createRoute({
  method: 'post',
  path: '/api/v1/runners/register',
  tags: ['runners'],
  summary: 'Register a transcoder with the registration token',
  request: { body: body(RegisterRunnerInputSchema) },
  responses: { 201: ok(RegisteredRunnerSchema, 'Registered'), ...errorResponses(400, 403) },
});

const requestRoute = createRoute({
  method: 'post',
  path: '/api/v1/runners/jobs/request',
  tags: ['runners'],
  summary:
    'Long-poll for jobs of the kinds this runner can run (empty list when none came within `wait` seconds)',
  security: runnerSecurity,
  request: {
    query: z.object({ wait: z.coerce.number().min(0).max(30).default(20) }),
    body: body(JobRequestInputSchema),
  },
  responses: { 200: ok(JobOfferSchema, 'Offers'), ...errorResponses(400, 401) },
});

const jobBase = (action: string, summary: string) => ({
  method: 'post' as const,
  path: `/api/v1/runners/jobs/{id}/${action}` as const,
  tags: ['runners'],
  summary,
  security: runnerSecurity,
});
const jobErrors = errorResponses(400, 401, 404, 409);
const published = ok(PublishOutcomeSchema, 'Published, or duplicate when nothing changed');

const acceptRoute = createRoute({
  ...jobBase('accept', 'Claim an offered job under a lease'),
  request: { params: JobParams },
  responses: { 200: ok(AcceptedJobSchema, 'Leased'), ...jobErrors },
});
const progressRoute = createRoute({
  ...jobBase('progress', 'Heartbeat: extend the lease and report progress'),
  request: { params: JobParams, body: body(ProgressInputSchema) },
  responses: { 204: { description: 'Lease extended' }, ...jobErrors },
});
const previewRoute = createRoute({
  ...jobBase('preview', 'Publish the fast-first-play rendition'),
  request: { params: JobParams, body: body(PublishInputSchema) },
  responses: { 200: published, ...jobErrors },
});
const completeRoute = createRoute({
  ...jobBase('complete', 'Publish the ladder and finish the job'),
  request: { params: JobParams, body: body(PublishInputSchema) },
  responses: { 200: published, ...jobErrors },
});
const failRoute = createRoute({
  ...jobBase('fail', 'Report a failure; retryable ones go back on the queue'),
  request: { params: JobParams, body: body(FailInputSchema) },
  responses: {
    200: ok(z.object({ outcome: z.enum(['retrying', 'failed', 'duplicate']) }), 'Recorded'),
    ...jobErrors,
  },
});
const releaseRoute = createRoute({
  ...jobBase('release', 'Give the job back without using an attempt'),
  request: { params: JobParams },
  responses: { 204: { description: 'Released' }, ...jobErrors },
});

/** The remote-runner protocol. Binary transfers (source, output files) live in `runner-files.ts`. */
export function runnerRoutes() {
  const router = createRouter();
  router.use('/api/v1/runners/jobs/*', authenticateRunnerRequest());
  return router
    .openapi(registerRoute, async (c) =>
      c.json(await registerRunner(c.get('services'), c.req.valid('json')), 201),
    )
    .openapi(requestRoute, async (c) => {
      const { kinds } = c.req.valid('json');
      const wait = c.req.valid('query').wait;
      return c.json({ jobs: await waitForOffers(c.get('services'), kinds, wait, c.req.raw.signal) }, 200);
    })
    .openapi(acceptRoute, async (c) => {
      const services = c.get('services');
      const job = await acceptJob(services, c.req.valid('param').id, c.get('runnerId'));
      if (!job) throw new ConflictError('This job was taken by another runner or is not available');
      return c.json(await acceptedJobView(services, job), 200);
    })
    .openapi(progressRoute, async (c) => {
      const alive = await heartbeat(
        c.get('services'),
        c.req.valid('param').id,
        c.get('runnerId'),
        c.req.valid('json').progress,
      );
      if (!alive) throw new LeaseGoneError('The lease on this job is gone; stop working on it');
      return c.body(null, 204);
    })
    .openapi(previewRoute, async (c) => {
      const input = {
        jobId: c.req.valid('param').id,
        runnerId: c.get('runnerId'),
        stage: 'preview' as const,
      };
      return c.json(
        { outcome: await publishJob(c.get('services'), { ...input, outputs: c.req.valid('json') }) },
        200,
      );
    })
    .openapi(completeRoute, async (c) => {
      const input = { jobId: c.req.valid('param').id, runnerId: c.get('runnerId'), stage: 'final' as const };
      return c.json(
        { outcome: await publishJob(c.get('services'), { ...input, outputs: c.req.valid('json') }) },
        200,
      );
    })
    .openapi(failRoute, async (c) => {
      const input = {
        jobId: c.req.valid('param').id,
        runnerId: c.get('runnerId'),
        failure: c.req.valid('json'),
      };
      return c.json({ outcome: await failJob(c.get('services'), input) }, 200);
    })
    .openapi(releaseRoute, async (c) => {
      await releaseJob(c.get('services'), { jobId: c.req.valid('param').id, runnerId: c.get('runnerId') });
      return c.body(null, 204);
    });
}
