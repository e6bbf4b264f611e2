import path from 'node:path';
import { serve } from '@hono/node-server';
import { openDatabase } from '../../db/client.js';
import { createApp } from './app.js';
import { configFromEnv } from './config.js';
import { type OriginEnv, parseOriginEnv } from './env.js';
import { createLogger } from './lib/logger.js';
import { createMetrics } from './lib/metrics.js';

export interface RunningOrigin {
  url: string;
  close(): Promise<void>;
}

/** Open the database, migrate, and serve the origin until `close()` or a signal. */
export async function startOrigin(env: OriginEnv): Promise<RunningOrigin> {
  const logger = createLogger(env.LOG_LEVEL);
  const database = openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATABASE_URL ? undefined : path.resolve(env.DATA_DIR, 'pglite'),
  });
  await database.migrate();
  const { app } = createApp({
    db: database.db,
    logger,
    config: configFromEnv(env),
    metrics: createMetrics({ collectDefaults: true }),
  });
  const server = serve({ fetch: app.fetch, hostname: env.HOST, port: env.PORT });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const url = `http://${env.HOST}:${port}`;
  logger.info({ url, database: database.driver }, 'origin listening');
  return {
    url,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}

const isEntryPoint =
  process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href;
if (isEntryPoint) {
  const origin = await startOrigin(parseOriginEnv());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void origin.close().then(() => process.exit(0)));
  }
}
