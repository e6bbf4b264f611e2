import type { HttpBindings } from '@hono/node-server';
import { z } from '@hono/zod-openapi';
import { FileStore } from '@tus/file-store';
import { EVENTS, Server as TusServer } from '@tus/server';
import type { Context } from 'hono';
import { type Viewer, viewerOfToken } from '../auth/access-tokens.js';
import { UnauthorizedError } from '../lib/errors.js';
import { type AppEnv, createRouter, errorResponses } from '../lib/http.js';
import type { ServiceContext } from '../services/context.js';
import { abandonUpload, finalizeUpload, startUpload } from '../services/uploads/lifecycle.js';
import { assertOwnsUpload, authorizeUpload } from '../services/uploads/policy.js';
import { toJsonErrorResponse, tusError } from './tus-errors.js';
import { acceptNodeBodies, withNodeBody } from './tus-node-body.js';

export const UPLOADS_PATH = '/api/v1/uploads';

async function viewerOf(services: ServiceContext, req: Request): Promise<Viewer> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.get('authorization') ?? '');
  if (!match?.[1]) throw new UnauthorizedError('Send your access token as `Authorization: Bearer <token>`');
  return viewerOfToken(services.accessTokens, match[1]);
}

/** The id our request-id middleware settled on, for hooks that only see the raw request. */
const requestIds = new WeakMap<Request, string>();
const requestIdOf = (req: Request) => requestIds.get(req) ?? req.headers.get('x-request-id') ?? 'unknown';

/**
 * tus 1.0.0 resumable uploads (creation, creation-with-upload, termination, expiration) with
 * @tus/server. Bytes are staged on local disk (shared by all origins of one server) and moved to
 * storage on completion. Every upload is bound to a video its uploader owns.
 */
export function uploadRoutes(services: ServiceContext, options: { stagingDir: string }) {
  const tus = new TusServer({
    path: UPLOADS_PATH,
    relativeLocation: true,
    datastore: new FileStore({
      directory: options.stagingDir,
      expirationPeriodInMilliseconds: services.config.uploads.expirySeconds * 1000,
    }),
    respectForwardedHeaders: false,
    exposedHeaders: ['X-Request-Id'],
    async onUploadCreate(req, upload) {
      try {
        const viewer = await viewerOf(services, req);
        const { videoId } = await authorizeUpload(services, viewer, {
          videoId: upload.metadata?.videoId ?? undefined,
          size: upload.size,
        });
        await startUpload(services, {
          uploadId: upload.id,
          videoId,
          userId: viewer.userId,
          size: upload.size as number,
        });
        return {};
      } catch (error) {
        throw tusError(error, requestIdOf(req));
      }
    },
    async onIncomingRequest(req, uploadId) {
      if (req.method === 'POST' || req.method === 'OPTIONS') return;
      try {
        await assertOwnsUpload(services, await viewerOf(services, req), uploadId);
      } catch (error) {
        throw tusError(error, requestIdOf(req));
      }
    },
    async onUploadFinish(req, upload) {
      try {
        await finalizeUpload(services, upload.id, `${options.stagingDir}/${upload.id}`);
        return {};
      } catch (error) {
        throw tusError(error, requestIdOf(req));
      }
    },
    onResponseError(req, error) {
      // Our hooks already threw the JSON shape; tus's own plain-text errors are mapped in `handle`.
      if ('status_code' in error) return error;
      return tusError(error, requestIdOf(req));
    },
  });
  acceptNodeBodies(tus);
  tus.on(EVENTS.POST_TERMINATE, (_req, _res, id) => {
    void abandonUpload(services, id, 'terminated');
  });

  const router = createRouter();
  const handle = async (c: Context<AppEnv>) => {
    // On @hono/node-server the body is piped from the IncomingMessage itself (tus-node-body.ts).
    const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
    const request = incoming ? withNodeBody(c.req.raw, incoming) : c.req.raw;
    requestIds.set(request, c.get('requestId'));
    return toJsonErrorResponse(await tus.handleWeb(request), c.get('requestId'));
  };
  router.all(UPLOADS_PATH, handle);
  router.all(`${UPLOADS_PATH}/*`, handle);
  registerUploadDocs(router);
  return router;
}

function registerUploadDocs(router: ReturnType<typeof createRouter>) {
  const tusHeaders = z.object({ 'tus-resumable': z.literal('1.0.0') });
  const id = z.object({ id: z.string() });
  const security = [{ bearerAuth: [] }];
  const tags = ['uploads'];
  router.openAPIRegistry.registerPath({
    method: 'post',
    path: UPLOADS_PATH,
    tags,
    security,
    summary: 'tus creation (and creation-with-upload); Upload-Metadata must carry videoId',
    request: { headers: tusHeaders.extend({ 'upload-length': z.string(), 'upload-metadata': z.string() }) },
    responses: {
      201: { description: 'Created; Location names the upload' },
      ...errorResponses(400, 401, 403, 404, 409),
      412: { description: 'Tus-Resumable missing' },
      413: { description: 'Over the size limit or quota' },
    },
  });
  for (const [method, summary] of [
    ['head', 'tus: current offset of an upload'],
    ['patch', 'tus: append bytes at Upload-Offset'],
    ['delete', 'tus termination: cancel an upload'],
  ] as const) {
    router.openAPIRegistry.registerPath({
      method,
      path: `${UPLOADS_PATH}/{id}`,
      tags,
      security,
      summary,
      request: { params: id, headers: tusHeaders },
      responses: {
        204: { description: 'Done' },
        200: { description: 'Offset in Upload-Offset' },
        ...errorResponses(401, 404),
        415: { description: 'PATCH without Content-Type: application/offset+octet-stream' },
      },
    });
  }
}
