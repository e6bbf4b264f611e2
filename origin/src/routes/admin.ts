import { createRoute, z } from '@hono/zod-openapi';
import { AccountSuspensionSchema } from '../../../protocol/api/accounts.js';
import { ListCleanupsQuerySchema, PendingCleanupPageSchema } from '../../../protocol/api/cleanup.js';
import { requireViewer } from '../auth/middleware.js';
import { bearerSecurity, createRouter, errorResponses } from '../lib/http.js';
import { suspendUser, unsuspendUser } from '../services/accounts/suspension.js';
import { listPendingCleanups } from '../services/cleanup/pending.js';
import { retryVideoProcessing } from '../services/jobs/retry.js';

// Admin-only operations. Each service checks the admin role itself (403 for anyone else).

// --- Cleanup of deleted videos (issue 9, "deletion that deletes") ---------------------------------

const listCleanupsRoute = createRoute({
  method: 'get',
  path: '/api/v1/admin/cleanup',
  tags: ['admin'],
  summary: 'Deleted videos whose files are not removed yet, with where their cleanup stands (admin)',
  security: bearerSecurity,
  request: { query: ListCleanupsQuerySchema },
  responses: {
    200: { description: 'A page', content: { 'application/json': { schema: PendingCleanupPageSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

// --- Account suspension (issue 9): suspension revokes sessions and playback -----------------------

const UserParams = z.object({ id: z.string().uuid() });

const suspension = (action: 'suspend' | 'unsuspend', summary: string) =>
  createRoute({
    method: 'post',
    path: `/api/v1/admin/users/{id}/${action}`,
    tags: ['admin'],
    summary,
    security: bearerSecurity,
    request: { params: UserParams },
    responses: {
      200: {
        description: 'The account suspension as it now stands',
        content: { 'application/json': { schema: AccountSuspensionSchema } },
      },
      ...errorResponses(401, 403, 404, 409),
    },
  });

const suspendRoute = suspension(
  'suspend',
  "Suspend an account: end its sessions, refuse its sign-in and writes, stop its videos' playback",
);
const unsuspendRoute = suspension('unsuspend', 'Lift an account suspension');

// --- Retry of failed processing (issue 16) ---------------------------------------------------------

const retryRoute = createRoute({
  method: 'post',
  path: '/api/v1/videos/{id}/retry',
  tags: ['admin'],
  summary: "Put a video's failed transcode back on the queue with a fresh attempt budget (admin)",
  security: bearerSecurity,
  request: { params: UserParams },
  responses: {
    202: {
      description: 'Queued again',
      content: {
        'application/json': {
          schema: z.object({
            videoId: z.string().uuid(),
            jobId: z.string().uuid(),
            state: z.literal('pending'),
          }),
        },
      },
    },
    ...errorResponses(401, 403, 404, 409),
  },
});

/** Admin routes: pending cleanups, account suspension, retry of failed processing. */
export function adminRoutes() {
  return createRouter()
    .openapi(listCleanupsRoute, async (c) =>
      c.json(await listPendingCleanups(c.get('services'), requireViewer(c), c.req.valid('query')), 200),
    )
    .openapi(suspendRoute, async (c) => {
      const actor = requireViewer(c);
      return c.json(await suspendUser(c.get('services'), { actor, userId: c.req.valid('param').id }), 200);
    })
    .openapi(unsuspendRoute, async (c) => {
      const actor = requireViewer(c);
      return c.json(await unsuspendUser(c.get('services'), { actor, userId: c.req.valid('param').id }), 200);
    })
    .openapi(retryRoute, async (c) => {
      const actor = requireViewer(c);
      return c.json(
        await retryVideoProcessing(c.get('services'), { actor, videoId: c.req.valid('param').id }),
        202,
      );
    });
}
