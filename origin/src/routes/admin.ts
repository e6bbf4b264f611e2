import { createRoute, z } from '@hono/zod-openapi';
import { AccountSuspensionSchema } from '../../../protocol/api/accounts.js';
import { requireViewer } from '../auth/middleware.js';
import { bearerSecurity, createRouter, errorResponses } from '../lib/http.js';
import { suspendUser, unsuspendUser } from '../services/accounts/suspension.js';

const UserParams = z.object({ id: z.string().uuid() });

// --- Account suspension (issue 9): admin only; suspension revokes sessions and playback. ---

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

/** Admin operations on accounts. */
export function adminRoutes() {
  return createRouter()
    .openapi(suspendRoute, async (c) => {
      const actor = requireViewer(c);
      return c.json(await suspendUser(c.get('services'), { actor, userId: c.req.valid('param').id }), 200);
    })
    .openapi(unsuspendRoute, async (c) => {
      const actor = requireViewer(c);
      return c.json(await unsuspendUser(c.get('services'), { actor, userId: c.req.valid('param').id }), 200);
    });
}
