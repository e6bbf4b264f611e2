import path from 'node:path';
import { serve } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { openDatabase } from '../../db/client.js';
import { openReadRouting } from '../../db/replica.js';
import { nodeVersionProblem } from '../../protocol/runtime.js';
import { createApp } from './app.js';
import { configFromEnv } from './config.js';
import { type OriginEnv, parseOriginEnv } from './env.js';
import { createLogger } from './lib/logger.js';
import { createMetrics } from './lib/metrics.js';
import { chatAccessSubscriber } from './services/chat/revocations.js';
import { startCleanupWorker } from './services/cleanup/worker.js';
import { startDeliveryWorker } from './services/federation/deliver.js';
import { watchLeases } from './services/jobs/lease-watch.js';
import { watchReconnects } from './services/live/reconnect-watch.js';
import { createOutboxDispatcher } from './services/outbox/dispatcher.js';
import { OUTBOX_CHANNEL } from './services/outbox/record.js';
import { defaultSubscribers } from './services/outbox/subscribers.js';
import { sweep } from './services/uploads/sweeper.js';
import { VIDEO_CHANGES_CHANNEL } from './services/videos/changes.js';
import { createLocalStorage } from './storage/local.js';
import { createS3Storage } from './storage/s3.js';
import type { Storage } from './storage/types.js';

export interface RunningOrigin {
  url: string;
  /** The token runners must present; generated when RUNNER_REGISTRATION_TOKEN is unset. */
  runnerRegistrationToken: string;
  /** The token the edge must present on `/internal/*`; generated when INTERNAL_API_TOKEN is unset. */
  internalApiToken: string;
  close(): Promise<void>;
}

/** The storage the environment configures (`npm run backup`/`restore` use it too). */
export function storageFromEnv(env: OriginEnv): Storage {
  if (env.STORAGE_DRIVER === 's3') {
    return createS3Storage({
      endpoint: env.S3_ENDPOINT as string,
      bucket: env.S3_BUCKET as string,
      region: env.S3_REGION,
      accessKeyId: env.S3_ACCESS_KEY_ID as string,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY as string,
    });
  }
  return createLocalStorage({ root: path.resolve(env.STORAGE_DIR ?? path.join(env.DATA_DIR, 'storage')) });
}

/** Open the database, migrate, and serve the origin until `close()` or a signal. */
export async function startOrigin(env: OriginEnv): Promise<RunningOrigin> {
  const logger = createLogger(env.LOG_LEVEL);
  const database = openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATABASE_URL ? undefined : path.resolve(env.DATA_DIR, 'pglite'),
  });
  await database.migrate();
  const reads = env.DATABASE_REPLICA_URL
    ? openReadRouting({
        primary: database.db,
        replicaUrl: env.DATABASE_REPLICA_URL,
        maxLagSeconds: env.DATABASE_REPLICA_MAX_LAG_SECONDS,
        checkIntervalMs: env.DATABASE_REPLICA_CHECK_MS,
        onChange: (usingReplica, reason) =>
          logger.warn(
            { usingReplica, reason },
            usingReplica ? 'reads go to the replica' : 'reads fall back to the primary',
          ),
      })
    : undefined;
  await reads?.check();
  reads?.start();
  const config = configFromEnv(env);
  const uploadStagingDir = path.resolve(env.UPLOAD_DIR ?? path.join(env.DATA_DIR, 'uploads'));
  const { app, services } = createApp({
    db: database.db,
    logger,
    config,
    metrics: createMetrics({ collectDefaults: true }),
    ...(reads ? { reads } : {}),
    storage: storageFromEnv(env),
    uploadStagingDir,
  });
  // Delivers outbox events; NOTIFY from any origin's commit wakes it, the poll is a safety net.
  const outbox = createOutboxDispatcher({
    db: database.db,
    logger: logger.child({ component: 'outbox' }),
    subscribers: [
      ...defaultSubscribers(database.db, logger.child({ component: 'outbox' }), {
        mailer: services.mailer,
        publicUrl: config.publicUrl,
      }),
      chatAccessSubscriber(services),
    ],
  });
  outbox.start();
  const unlisten = await database.listen(OUTBOX_CHANNEL, () => outbox.nudge());
  // Event streams wait on video changes committed by any origin, instead of polling the table.
  const unlistenVideos = await database.listen(VIDEO_CHANGES_CHANNEL, (id) =>
    services.videoChanges.notify(id),
  );
  // The chat WebSocket (routes/chat.ts) upgrades through this server.
  const websockets = new WebSocketServer({ noServer: true });
  const server = serve({
    fetch: app.fetch,
    hostname: env.HOST,
    port: env.PORT,
    websocket: { server: websockets },
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const url = `http://${env.HOST}:${port}`;
  logger.info({ url, database: database.driver, storage: env.STORAGE_DRIVER }, 'origin listening');

  const leaseWatch = watchLeases(services, { logger });
  // Posts federation deliveries queued by the outbox's federation subscriber.
  const deliveries = services.federation
    ? startDeliveryWorker(
        database.db,
        services.federation,
        config.publicUrl ?? url,
        logger.child({ component: 'federation' }),
      )
    : undefined;
  // Removes the files of deleted videos; this origin has the storage, so it is the cleanup runner.
  const cleanup = startCleanupWorker(services, { logger: logger.child({ component: 'cleanup' }) });

  // Ends live sessions whose reconnect window passed, also those another origin saw disconnect.
  const reconnects = watchReconnects(services, {
    logger: logger.child({ component: 'live' }),
    intervalMs: Math.min(5, config.live.reconnectSeconds) * 1000,
  });

  const sweeper = setInterval(() => {
    sweep(services, uploadStagingDir).then(
      (result) => {
        if (result.finalized || result.expired) logger.info(result, 'sweep');
      },
      (error: unknown) => logger.error({ err: error }, 'sweep failed'),
    );
  }, env.SWEEP_INTERVAL_SECONDS * 1000);
  sweeper.unref();

  return {
    url,
    runnerRegistrationToken: config.runnerRegistrationToken,
    internalApiToken: config.internalApiToken,
    async close() {
      clearInterval(sweeper);
      await deliveries?.stop();
      services.stopFederationQueue?.();
      reconnects.stop();
      // Chat clients are told to go (and reconnect elsewhere) before the server stops listening.
      await services.chat.close();
      websockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await unlisten();
      await unlistenVideos();
      await outbox.stop();
      await leaseWatch.stop();
      await cleanup.stop();
      // Views still pending reach the database before it closes.
      await services.views
        .flush()
        .catch((error: unknown) => logger.error({ err: error }, 'view flush failed'));
      await services.views.stop();
      await reads?.close();
      await database.close();
    },
  };
}

const isEntryPoint =
  process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href;
if (isEntryPoint) {
  const problem = nodeVersionProblem(process.versions.node, 'origin');
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  let env: OriginEnv;
  try {
    env = parseOriginEnv();
  } catch (error) {
    // A bad environment is the operator's to fix: print what is wrong, not a stack trace.
    console.error((error as Error).message);
    process.exit(1);
  }
  const origin = await startOrigin(env);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void origin.close().then(() => process.exit(0)));
  }
}
