import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { routePath } from 'hono/route';
import { ZodError } from 'zod';
import type { Database } from '../../db/client.js';
import { isDatabaseUnavailable } from '../../db/errors.js';
import type { ReadRouting } from '../../db/replica.js';
import { createAccessTokenVerifier } from './auth/access-tokens.js';
import {
  type ClientAddressPolicy,
  decideClientAddress,
  EDGE_TOKEN_HEADER,
  isOperatorRequest,
  type RequestOrigin,
} from './auth/client-address.js';
import { authenticate } from './auth/middleware.js';
import { KeyRing } from './auth/signing-keys.js';
import { Throttle } from './auth/throttle.js';
import { fieldErrorsFromIssues, ServiceError } from './lib/errors.js';
import { type AppEnv, createRouter, errorBody, serviceErrorResponse } from './lib/http.js';
import type { Logger } from './lib/logger.js';
import { createMetrics, type Metrics, registerJobMetrics, registerReplicaMetrics } from './lib/metrics.js';
import { publicDocument } from './lib/openapi.js';
import { adminRoutes } from './routes/admin.js';
import { authRoutes } from './routes/auth.js';
import { channelRoutes } from './routes/channels.js';
import { chatRoutes } from './routes/chat.js';
import { commentRoutes } from './routes/comments.js';
import { federationAdminRoutes, federationMiddleware, federationRoutes } from './routes/federation.js';
import { federationRemoteRoutes } from './routes/federation-remote.js';
import { internalRoutes } from './routes/internal.js';
import { liveRoutes } from './routes/live.js';
import { liveRunnerRoutes } from './routes/live-hub.js';
import { moderationRoutes } from './routes/moderation.js';
import { notificationRoutes } from './routes/notifications.js';
import { peertubeRoutes } from './routes/peertube.js';
import { playlistElementRoutes } from './routes/playlist-elements.js';
import { playlistRoutes } from './routes/playlists.js';
import { reactionRoutes } from './routes/reactions.js';
import { runnerFileRoutes } from './routes/runner-files.js';
import { runnerRoutes } from './routes/runners.js';
import { searchRoutes } from './routes/search.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { systemRoutes } from './routes/system.js';
import { uploadRoutes } from './routes/uploads.js';
import { videoEventRoutes } from './routes/video-events.js';
import { videoRoutes } from './routes/videos.js';
import { viewRoutes } from './routes/views.js';
import { chatBus } from './services/chat/bus-factory.js';
import { ChatHub } from './services/chat/hub.js';
import type { ServiceConfig, ServiceContext } from './services/context.js';
import { createVidraFederation, startFederationQueue } from './services/federation/federation.js';
import { remoteContentHooks } from './services/federation/remote-content.js';
import { queueViewUpdates } from './services/federation/view-updates.js';
import { JobSignals } from './services/jobs/signals.js';
import { jobStats } from './services/jobs/stats.js';
import { LiveHub } from './services/live/hub.js';
import { ReconnectTimer } from './services/live/reconnect-timer.js';
import { sweepReconnects } from './services/live/sessions.js';
import { createConsoleMailer, type Mailer } from './services/mail/mailer.js';
import { VideoChanges } from './services/videos/changes.js';
import { DEFAULT_VIEW_SETTINGS, ViewCounter } from './services/views/counter.js';
import { storageFailureReason } from './storage/errors.js';
import type { Storage } from './storage/types.js';

export interface AppOptions {
  db: Database;
  logger: Logger;
  config: ServiceConfig & {
    /** Peers whose `X-Forwarded-For` is believed; the edge is believed by its token instead. */
    trustedProxyAddresses: readonly string[];
    /** Peers that reach operator surfaces (/metrics, /readyz, internal docs) without the token. */
    internalAddresses: readonly string[];
    /** Shared with the edge for `/internal/*`, as `X-Vidra-Edge-Token`, and by operators. */
    internalApiToken: string;
  };
  metrics?: Metrics;
  /** `DATABASE_REPLICA_URL`'s router: lists and search read from the replica while it keeps up. */
  reads?: ReadRouting;
  /** Defaults to the console mailer, which logs each message. */
  mailer?: Mailer;
  storage: Storage;
  /** Where tus stages upload bytes; all origins of one server must share it. */
  uploadStagingDir: string;
}

export function createServiceContext(
  db: Database,
  config: ServiceConfig,
  storage: Storage,
  mailer: Mailer,
  reads?: ReadRouting,
): ServiceContext {
  const keys = new KeyRing(db, {
    rotateAfterSeconds: config.signingKeyRotationSeconds,
    tokenTtlSeconds: config.accessTokenTtlSeconds,
  });
  const services: ServiceContext = {
    db,
    ...(reads ? { reads } : {}),
    config,
    keys,
    accessTokens: createAccessTokenVerifier(keys),
    loginThrottle: new Throttle(db, 'login', config.loginThrottle),
    videoPasswordThrottle: new Throttle(db, 'video-password', config.videoPasswordThrottle),
    storage,
    jobSignals: new JobSignals(),
    mailer,
    videoChanges: new VideoChanges(),
    liveReconnects: new ReconnectTimer(),
    liveHub: new LiveHub(),
    views: new ViewCounter(db, config.views ?? DEFAULT_VIEW_SETTINGS),
  } as Omit<ServiceContext, 'chat'> as ServiceContext;
  services.chat = new ChatHub(services, chatBus(config.chat));
  services.liveReconnects.onDue(async () => (await sweepReconnects(services)).next);
  return services;
}

function requestOrigin(c: Context<AppEnv>): RequestOrigin {
  let socketAddress: string | undefined;
  try {
    socketAddress = getConnInfo(c as unknown as Context).remote.address;
  } catch {
    socketAddress = undefined; // in-process requests (tests) have no socket
  }
  return {
    socketAddress,
    forwardedFor: c.req.header('x-forwarded-for'),
    edgeToken: c.req.header(EDGE_TOKEN_HEADER),
  };
}

/** `X-Content-Type-Options: nosniff` on every response, raw ones (tus, media) included. */
function noSniff(): MiddlewareHandler<AppEnv> {
  return async function noSniff(c, next) {
    await next();
    try {
      c.res.headers.set('X-Content-Type-Options', 'nosniff');
    } catch {
      c.res = new Response(c.res.body, c.res); // immutable headers (a fetched response): copy them
      c.res.headers.set('X-Content-Type-Options', 'nosniff');
    }
  };
}

/** Operator surfaces answer 404, like an unknown route, unless `isOperatorRequest` says otherwise. */
function operatorOnly(policy: Parameters<typeof isOperatorRequest>[1]): MiddlewareHandler<AppEnv> {
  return async function operatorOnly(c, next) {
    const request = { ...requestOrigin(c), authorization: c.req.header('authorization') };
    if (!isOperatorRequest(request, policy)) {
      return c.json(errorBody(c, 'not_found', `No route for ${c.req.method} ${c.req.path}`), 404);
    }
    await next();
  };
}

/** Where the full OpenAPI document (internal and runner routes included) is served to operators. */
export const INTERNAL_OPENAPI_PATH = '/internal/v1/openapi.json';
/** Retry-After of a 503 during a database outage: reconnects are attempted well within it. */
const DATABASE_RETRY_AFTER_SECONDS = 2;
/** Retry-After of a 503 for a storage failure (full, read-only): an operator has to act first. */
const STORAGE_RETRY_AFTER_SECONDS = 60;

export const OPERATOR_PATHS = ['/metrics', '/readyz', INTERNAL_OPENAPI_PATH] as const;

/** The origin's Hono app. Tests build it with a real database and call `app.request()`. */
export function createApp(options: AppOptions) {
  const services = createServiceContext(
    options.db,
    options.config,
    options.storage,
    options.mailer ?? createConsoleMailer(options.logger),
    options.reads,
  );
  const addressPolicy: ClientAddressPolicy = {
    edgeToken: options.config.internalApiToken,
    trustedProxies: new Set(options.config.trustedProxyAddresses),
  };
  const operatorPolicy = { ...addressPolicy, internalAddresses: new Set(options.config.internalAddresses) };
  services.views.onError = (error) => options.logger.error({ err: error }, 'view counting failed');
  const metrics = options.metrics ?? createMetrics({ collectDefaults: false });
  if (options.reads) registerReplicaMetrics(metrics, options.reads);
  registerJobMetrics(metrics, () => jobStats(services));
  const app = createRouter();
  const userAuth = authenticate();

  app.use(noSniff());
  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use(async function context(c, next) {
    c.set('services', services);
    c.set('clientIp', decideClientAddress(requestOrigin(c), addressPolicy));
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

  for (const path of OPERATOR_PATHS) app.use(path, operatorOnly(operatorPolicy));
  if (options.config.federation) {
    const federationLogger = options.logger.child({ component: 'federation' });
    const federation = createVidraFederation(
      options.db,
      options.config.federation,
      federationLogger,
      remoteContentHooks(options.db, options.config.federation, federationLogger),
    );
    services.federation = federation;
    const publicUrl = options.config.federation.publicUrl;
    // Views reach followers as one Update(Video) per video per 5 minutes, never one per viewer.
    services.views.onFlushed = (videoIds) => queueViewUpdates(options.db, publicUrl, videoIds);
    services.stopFederationQueue = startFederationQueue(federation, options.logger);
    app.use(federationMiddleware(federation, options.config.federation.publicUrl));
    app.route('/', federationRoutes(options.config.federation.publicUrl));
  }
  const info = { title: 'Vidra origin API', version: '1.0.0' };
  // Registered before the internal router, whose bearer check would otherwise refuse internal addresses.
  app.get(INTERNAL_OPENAPI_PATH, (c) =>
    c.json(
      app.getOpenAPIDocument({
        openapi: '3.0.3',
        info: {
          ...info,
          description: "Everything, including the edge's internal API and the runner protocol.",
        },
      }),
    ),
  );
  app.get('/api/v1/openapi.json', (c) =>
    c.json(
      publicDocument(
        app.getOpenAPIDocument({
          openapi: '3.0.3',
          info: { ...info, description: 'Accounts, channels, videos and resumable uploads.' },
        }),
      ),
    ),
  );

  app.route('/', systemRoutes(metrics));
  app.route('/', authRoutes());
  app.route('/', adminRoutes());
  app.route('/', federationAdminRoutes());
  app.route('/', channelRoutes());
  app.route('/', liveRoutes());
  app.route('/', chatRoutes());
  app.route('/', videoRoutes());
  app.route('/', videoEventRoutes());
  app.route('/', reactionRoutes());
  // Before the subscription routes, whose `{uri}` would otherwise take `remote`.
  app.route('/', federationRemoteRoutes());
  app.route('/', subscriptionRoutes());
  app.route('/', notificationRoutes());
  app.route('/', commentRoutes());
  app.route('/', moderationRoutes());
  app.route('/', searchRoutes());
  app.route('/', peertubeRoutes());
  app.route('/', viewRoutes());
  app.route('/', playlistRoutes());
  app.route('/', playlistElementRoutes());
  app.route('/', uploadRoutes(services, { stagingDir: options.uploadStagingDir }));
  app.route('/', runnerRoutes());
  app.route('/', runnerFileRoutes());
  app.route('/', liveRunnerRoutes());
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
    if (isDatabaseUnavailable(error)) {
      // An outage is a 503 clients may retry, logged once per request without the query's values.
      c.get('logger')?.warn({ err: error }, 'database unavailable');
      c.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      return c.json(
        errorBody(c, 'unavailable', 'The service is briefly unavailable; try again shortly'),
        503,
      );
    }
    const storageReason = storageFailureReason(error);
    if (storageReason) {
      // Said to the caller (a runner turns it into the job's reason), not only to the origin log.
      c.get('logger')?.error({ err: error }, storageReason);
      c.header('Retry-After', String(STORAGE_RETRY_AFTER_SECONDS));
      return c.json(errorBody(c, 'unavailable', storageReason), 503);
    }
    c.get('logger')?.error({ err: error }, 'unhandled error');
    return c.json(errorBody(c, 'internal_error', 'Something went wrong on our side'), 500);
  });

  return { app, services, metrics };
}
