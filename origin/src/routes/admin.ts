import { createRoute } from '@hono/zod-openapi';
import { ListCleanupsQuerySchema, PendingCleanupPageSchema } from '../../../protocol/api/cleanup.js';
import { requireViewer } from '../auth/middleware.js';
import { bearerSecurity, createRouter, errorResponses } from '../lib/http.js';
import { listPendingCleanups } from '../services/cleanup/pending.js';

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

/** Admin-only views of the instance. Each service checks the admin role itself. */
export function adminRoutes() {
  return createRouter().openapi(listCleanupsRoute, async (c) =>
    c.json(await listPendingCleanups(c.get('services'), requireViewer(c), c.req.valid('query')), 200),
  );
}
