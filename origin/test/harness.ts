import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { type DatabaseHandle, openDatabase } from '../../db/client.js';
import type { ReadRouting } from '../../db/replica.js';
import { users } from '../../db/schema/index.js';
import { JOB_KINDS, type JobKind } from '../../protocol/runner.js';
import { createApp } from '../src/app.js';
import { EDGE_TOKEN_HEADER } from '../src/auth/client-address.js';
import { LOGIN_THROTTLE, VIDEO_PASSWORD_THROTTLE } from '../src/auth/throttle-policies.js';
import { createLogger } from '../src/lib/logger.js';
import { type CleanupWorker, startCleanupWorker } from '../src/services/cleanup/worker.js';
import type { ServiceConfig } from '../src/services/context.js';
import type { FederationSettings } from '../src/services/federation/federation.js';
import { watchLeases } from '../src/services/jobs/lease-watch.js';
import type { MailMessage } from '../src/services/mail/mailer.js';
import { VIDEO_CHANGES_CHANNEL } from '../src/services/videos/changes.js';
import { DEFAULT_VIEW_SETTINGS, type ViewSettings } from '../src/services/views/counter.js';
import { createLocalStorage } from '../src/storage/local.js';

/** The two database drivers every integration suite runs against, with the same migrations. */
export const DRIVERS = ['pglite', 'postgres'] as const;
export type Driver = (typeof DRIVERS)[number];

/** Base URL of the real PostgreSQL; each suite gets a database of its own under it. */
export const POSTGRES_TEST_URL = process.env.DATABASE_URL_TEST ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase extends DatabaseHandle {
  dispose(): Promise<void>;
}

/** A freshly migrated, empty database: in-memory PGlite, or a new database on the real server. */
export async function createTestDatabase(driver: Driver): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const handle = openDatabase({});
    await handle.migrate();
    return { ...handle, dispose: () => handle.close() };
  }
  const name = `vidra_t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = postgres(POSTGRES_TEST_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(POSTGRES_TEST_URL);
  url.pathname = `/${name}`;
  const handle = openDatabase({ url: url.toString(), maxConnections: 5 });
  await handle.migrate();
  return {
    ...handle,
    async dispose() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** The same lease length for every job kind, with per-kind exceptions. */
export function leases(
  seconds: number,
  perKind: Partial<Record<JobKind, number>> = {},
): Record<JobKind, number> {
  const all = Object.fromEntries(Object.values(JOB_KINDS).map((kind) => [kind, seconds]));
  return { ...(all as Record<JobKind, number>), ...perKind };
}

/** Cheap scrypt for tests: the cost parameter is stored per hash, so the code path is the same. */
export const TEST_CONFIG = {
  trustedProxyAddresses: [] as string[],
  internalAddresses: [] as string[],
  internalApiToken: 'test-internal-token-0123456789',
  accessTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 86_400,
  signingKeyRotationSeconds: 86_400,
  scrypt: { N: 2 ** 10, r: 8, p: 1 },
  loginThrottle: LOGIN_THROTTLE,
  videoPasswordThrottle: VIDEO_PASSWORD_THROTTLE,
  jobs: { leaseSeconds: leases(30), retryBaseSeconds: 0, maxAttempts: 3 },
  events: { idleSeconds: 300 },
  live: {
    rtmpUrl: 'rtmp://127.0.0.1:1935/live',
    srtHost: '127.0.0.1',
    srtPorts: { first: 9000, last: 9099 },
    srtSecret: 'test-srt-secret-0123456789',
    reconnectSeconds: 3,
  } as ServiceConfig['live'],
  uploads: { maxBytes: 50 * 1024 * 1024, defaultQuotaBytes: 200 * 1024 * 1024, expirySeconds: 3600 },
  runnerRegistrationToken: 'test-registration-token-0123456789',
  views: DEFAULT_VIEW_SETTINGS as ViewSettings,
  /** Off unless a suite turns federation on (test/federation/support.ts). */
  federation: undefined as FederationSettings | undefined,
  /** Chat rooms in-process unless a suite passes a Redis. */
  chat: {} as { redisUrl?: string },
};

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/**
 * An origin app on a fresh database, plus a small JSON client for it. `watchLeases` starts the
 * lease watch `main.ts` runs (stopped by `close()`); suites that do not test leases leave it off.
 * `cleanupWorker` likewise starts the in-process runner of `cleanup` jobs (polling every 100 ms).
 */
export async function createTestApp(
  driver: Driver,
  overrides: Partial<typeof TEST_CONFIG> = {},
  options: {
    watchLeases?: boolean;
    cleanupWorker?: boolean;
    /** A database made elsewhere (a primary with a streaming replica); disposed by `close`. */
    database?: TestDatabase;
    reads?: ReadRouting;
  } = {},
) {
  const database = options.database ?? (await createTestDatabase(driver));
  const dir = mkdtempSync(path.join(tmpdir(), 'vidra-origin-'));
  const storage = createLocalStorage({ root: path.join(dir, 'storage') });
  const uploadStagingDir = path.join(dir, 'uploads');
  const mailbox: MailMessage[] = [];
  const { app, services } = createApp({
    db: database.db,
    logger: createLogger('silent'),
    mailer: { send: async (message) => void mailbox.push(message) },
    config: { ...TEST_CONFIG, ...overrides },
    storage,
    uploadStagingDir,
    ...(options.reads ? { reads: options.reads } : {}),
  });
  const logger = createLogger('silent');
  const unlistenVideos = await database.listen(VIDEO_CHANGES_CHANNEL, (id) =>
    services.videoChanges.notify(id),
  );
  const leaseWatch = options.watchLeases ? watchLeases(services, { logger }) : undefined;
  const cleanupWorker: CleanupWorker | undefined = options.cleanupWorker
    ? startCleanupWorker(services, { logger, pollMs: 100 })
    : undefined;

  async function call(
    method: string,
    url: string,
    options: {
      token?: string;
      body?: unknown;
      headers?: Record<string, string>;
      ip?: string;
      /** Call as a client straight to the origin, without the edge's token vouching for X-Forwarded-For. */
      direct?: boolean;
    } = {},
  ) {
    // Like the edge: the client's address in X-Forwarded-For, vouched for by the internal token.
    const headers: Record<string, string> = {
      'x-forwarded-for': options.ip ?? randomIp(),
      ...(options.direct ? {} : { [EDGE_TOKEN_HEADER]: TEST_CONFIG.internalApiToken }),
      ...options.headers,
    };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(url, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary JSON bodies
    const body: any = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    return { status: res.status, body, headers: res.headers };
  }

  /** Register a user with unique credentials, sign in, and return its session. */
  async function signUp(prefix = 'user') {
    const id = randomUUID().slice(0, 8);
    const credentials = {
      email: `${prefix}-${id}@example.com`,
      username: `${prefix}_${id}`,
      password: `pw-${id}-long-enough`,
    };
    const registered = await call('POST', '/api/v1/auth/register', { body: credentials });
    if (registered.status !== 202)
      throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
    const res = await call('POST', '/api/v1/auth/login', {
      body: { email: credentials.email, password: credentials.password },
    });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
    return {
      ...credentials,
      session: res.body,
      token: res.body.accessToken as string,
      userId: res.body.user.id as string,
    };
  }

  /** Register a user, promote it to admin in the database, and sign in again for a fresh token. */
  async function signUpAdmin() {
    const user = await signUp('admin');
    await database.db.update(users).set({ role: 'admin' }).where(eq(users.id, user.userId));
    const login = await call('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: user.password },
    });
    return { ...user, token: login.body.accessToken as string };
  }

  async function close() {
    services.stopFederationQueue?.();
    services.liveReconnects.stop();
    services.liveHub.stop();
    await services.chat.close();
    await services.views.stop();
    await unlistenVideos().catch(() => {});
    await leaseWatch?.stop();
    await cleanupWorker?.stop();
    await database.dispose();
    rmSync(dir, { recursive: true, force: true });
  }

  return {
    app,
    services,
    database,
    storage,
    uploadStagingDir,
    leaseWatch,
    mailbox,
    call,
    signUp,
    signUpAdmin,
    close,
  };
}

/** A random documentation-range address, so throttles keyed by IP do not collide across tests. */
export function randomIp(): string {
  const byte = () => Math.floor(Math.random() * 250) + 1;
  return `198.51.${byte()}.${byte()}`;
}
