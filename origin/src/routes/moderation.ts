import { createRoute, z } from '@hono/zod-openapi';
import { PageQuerySchema } from '../../../protocol/api/list.js';
import {
  AbusePageSchema,
  BlockAccountInputSchema,
  BlockedAccountPageSchema,
  CreateAbuseInputSchema,
  CreatedAbuseSchema,
  ListAbusesQuerySchema,
  UpdateAbuseInputSchema,
} from '../../../protocol/api/moderation.js';
import { requireViewer } from '../auth/middleware.js';
import { bearerSecurity, createRouter, errorResponses, jsonBody, jsonResponse } from '../lib/http.js';
import { createAbuse, listAbuses, updateAbuse } from '../services/moderation/abuses.js';
import { blockAccount, listBlockedAccounts, unblockAccount } from '../services/moderation/blocklist.js';

const BLOCKLIST = '/api/v1/users/me/blocklist/accounts';

const listBlocksRoute = createRoute({
  method: 'get',
  path: BLOCKLIST,
  tags: ['moderation'],
  summary: 'Accounts the caller muted or blocked',
  security: bearerSecurity,
  request: { query: PageQuerySchema },
  responses: { 200: jsonResponse('A page', BlockedAccountPageSchema), ...errorResponses(400, 401) },
});

const blockRoute = createRoute({
  method: 'post',
  path: BLOCKLIST,
  tags: ['moderation'],
  summary: 'Block an account (block: false mutes it instead): its comments are hidden from you',
  security: bearerSecurity,
  request: { body: jsonBody(BlockAccountInputSchema) },
  responses: { 204: { description: 'Blocked or muted' }, ...errorResponses(400, 401, 404, 409) },
});

const unblockRoute = createRoute({
  method: 'delete',
  path: `${BLOCKLIST}/{accountName}`,
  tags: ['moderation'],
  summary: 'Lift a mute or block',
  security: bearerSecurity,
  request: { params: z.object({ accountName: z.string().min(1).max(100) }) },
  responses: { 204: { description: 'Lifted' }, ...errorResponses(400, 401, 404) },
});

const createAbuseRoute = createRoute({
  method: 'post',
  path: '/api/v1/abuses',
  tags: ['moderation'],
  summary: 'Report a video, a comment or an account (exactly one)',
  security: bearerSecurity,
  request: { body: jsonBody(CreateAbuseInputSchema) },
  responses: { 200: jsonResponse('Reported', CreatedAbuseSchema), ...errorResponses(400, 401, 403, 404) },
});

const listAbusesRoute = createRoute({
  method: 'get',
  path: '/api/v1/abuses',
  tags: ['moderation'],
  summary: 'The report queue, newest first (admin)',
  security: bearerSecurity,
  request: { query: ListAbusesQuerySchema },
  responses: { 200: jsonResponse('A page', AbusePageSchema), ...errorResponses(400, 401, 403) },
});

const updateAbuseRoute = createRoute({
  method: 'put',
  path: '/api/v1/abuses/{id}',
  tags: ['moderation'],
  summary: 'Act on a report: state, note, and optionally delete the reported video or comment (admin)',
  security: bearerSecurity,
  request: {
    params: z.object({ id: z.coerce.number().int().positive('Not a report id') }),
    body: jsonBody(UpdateAbuseInputSchema),
  },
  responses: { 204: { description: 'Updated' }, ...errorResponses(400, 401, 403, 404, 409) },
});

/** Blocklists (mute, block) and abuse reports with their admin queue. */
export function moderationRoutes() {
  return createRouter()
    .openapi(listBlocksRoute, async (c) =>
      c.json(await listBlockedAccounts(c.get('services'), requireViewer(c), c.req.valid('query')), 200),
    )
    .openapi(blockRoute, async (c) => {
      await blockAccount(c.get('services'), requireViewer(c), c.req.valid('json'));
      return c.body(null, 204);
    })
    .openapi(unblockRoute, async (c) => {
      await unblockAccount(c.get('services'), requireViewer(c), c.req.valid('param').accountName);
      return c.body(null, 204);
    })
    .openapi(createAbuseRoute, async (c) => {
      const request = { viewer: requireViewer(c), ip: c.get('clientIp') };
      return c.json(await createAbuse(c.get('services'), request, c.req.valid('json')), 200);
    })
    .openapi(listAbusesRoute, async (c) =>
      c.json(await listAbuses(c.get('services'), requireViewer(c), c.req.valid('query')), 200),
    )
    .openapi(updateAbuseRoute, async (c) => {
      const request = { viewer: requireViewer(c), ip: c.get('clientIp'), abuseId: c.req.valid('param').id };
      await updateAbuse(c.get('services'), request, c.req.valid('json'));
      return c.body(null, 204);
    });
}
