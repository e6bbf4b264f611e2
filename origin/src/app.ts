import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { routePath } from 'hono/route';
import { ZodError } from 'zod';
import type { Database } from '../../db/client.js';
import { createAccessTokenVerifier } from './auth/access-tokens.js';
import { authenticate } from './auth/middleware.js';
import { KeyRing } from './auth/signing-keys.js';
import { Throttle } from './auth/throttle.js';
import { fieldErrorsFromIssues, ServiceError } from './lib/errors.js';
import { type AppEnv, createRouter, errorBody, serviceErrorResponse } from './lib/http.js';
import type { Logger } from './lib/logger.js';
import { createMetrics, type Metrics } from './lib/metrics.js';
import { authRoutes } from './routes/auth.js';
import { channelRoutes } from './routes/channels.js';
import { internalRoutes } from './routes/internal.js';
import { runnerFileRoutes } from './routes/runner-files.js';
import { runnerRoutes } from './routes/runners.js';
import { systemRoutes } from './routes/system.js';
import { uploadRoutes } from './routes/uploads.js';
import { videoEventRoutes } from './routes/video-events.js';
import { videoRoutes } from './routes/videos.js';
import type { ServiceConfig, ServiceContext } from './services/context.js';
import { JobSignals } from './services/jobs/signals.js';
import type { Storage } from './storage/types.js';

export interface AppOptions {
  db: Database;
  logger: Logger;
  config: ServiceConfig & {
    /** Take the client address from `X-Forwarded-For` (set when an edge or LB is in front). */
    trustProxy: boolean;
    /** Shared with the edge for `/internal/*`. */
    internalApiToken: string;
  };
  metrics?: Metrics;
  storage: Storage;
  /** Where tus stages upload bytes; all origins of one server must share it. */
  uploadStagingDir: string;
}

export function createServiceContext(db: Database, config: ServiceConfig, storage: Storage): ServiceContext {
  const keys = new KeyRing(db, {
    rotateAfterSeconds: config.signingKeyRotationSeconds,
    tokenTtlSeconds: config.accessTokenTtlSeconds,
  });
  return {
    db,
    config,
    keys,
    accessTokens: createAccessTokenVerifier(keys),
    loginThrottle: new Throttle(db, config.loginThrottle),
    videoPasswordThrottle: new Throttle(db, config.videoPasswordThrottle),
    storage,
    jobSignals: new JobSignals(),
  };
}

function clientIp(c: Context<AppEnv>, trustProxy: boolean): string {
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  if (trustProxy && forwarded) return forwarded;
  try {
    return getConnInfo(c as unknown as Context).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // in-process requests (tests) have no socket
  }
}

/** The origin's Hono app. Tests build it with a real database and call `app.request()`. */
export function createApp(options: AppOptions) {
  const services = createServiceContext(options.db, options.config, options.storage);
  const metrics = options.metrics ?? createMetrics({ collectDefaults: false });
  const app = createRouter();
  const userAuth = authenticate();

  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use(async function context(c, next) {
    c.set('services', services);
    c.set('clientIp', clientIp(c, options.config.trustProxy));
    c.set('logger', options.logger.child({ requestId: c.get('requestId') }));
    const started = performance.now();
    await next();
    const route = routePath(c) || 'unmatched';
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.httpDuration.observe({ method: c.req.method, route }, (performance.now() - started) / 1000);
    const level = c.res.status >= 500 ? 'error' : 'info';
    c.get('logger')[level]({ method: c.req.method, path: c.req.path, status: c.res.status }, 'request');
  });
  // Runners carry runner tokens, not user JWTs; their routes authenticate on their own.
  app.use('/api/*', async (c, next) =>
    c.req.path.startsWith('/api/v1/runners/') ? next() : userAuth(c, next),
  );

  app.route('/', systemRoutes(metrics));
  app.route('/', authRoutes());
  app.route('/', channelRoutes());
  app.route('/', videoRoutes());
  app.route('/', videoEventRoutes());
  app.route('/', uploadRoutes(services, { stagingDir: options.uploadStagingDir }));
  app.route('/', runnerRoutes());
  app.route('/', runnerFileRoutes());
  app.route('/', internalRoutes(options.config.internalApiToken));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'internalAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'INTERNAL_API_TOKEN shared with the edge',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'runnerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'Runner token from POST /api/v1/runners/register',
  });
  app.doc('/api/v1/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'Vidra origin API',
      version: '1.0.0',
      description: 'Accounts, channels, videos, resumable uploads and the transcoding runner protocol.',
    },
  });

  app.notFound((c) => c.json(errorBody(c, 'not_found', `No route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((error, c) => {
    if (error instanceof ServiceError) return serviceErrorResponse(c, error);
    if (error instanceof ZodError) {
      return c.json(
        errorBody(c, 'validation_failed', 'The request is not valid', {
          fields: fieldErrorsFromIssues(error.issues),
        }),
        400,
      );
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code =
        error.status === 413 ? 'payload_too_large' : error.status === 401 ? 'unauthorized' : 'bad_request';
      return c.json(errorBody(c, code, error.message || 'Bad request'), error.status);
    }
    c.get('logger')?.error({ err: error }, 'unhandled error');
    return c.json(errorBody(c, 'internal_error', 'Something went wrong on our side'), 500);
  });

  return { app, services, metrics };
}
