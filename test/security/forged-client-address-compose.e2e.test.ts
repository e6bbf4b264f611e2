import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort } from '../../bench/edge/load.js';
import { POSTGRES_TEST_URL } from '../../origin/test/harness.js';
import { startLoopbackLb } from '../support/nginx.js';
import { commandLines, killGroup, ROOT, spawnTier, waitFor } from '../support/stack.js';
import { passwordVideoAt } from './forged-guesses.js';
import { expectErrorShape } from './helpers.js';

// Defends (issue 9, 3) in the compose layout: edge (`npm run edge`, workerd serve) -> nginx with
// deploy/nginx/nginx.conf -> origin-1 | origin-2 on one PostgreSQL, as processes on loopback.
// Acceptance: 25 wrong video passwords with rotating CF-Connecting-IP / X-Forwarded-For /
// X-Real-IP are throttled, and the right password is refused while the throttle holds.
// Also (issue 9, 6): the edge's secrets are in no process's argv, only in a 0600 config file.

type Environment = Record<string, string | number | boolean | null>;

/** The edge service's environment in docker-compose.yml, `${VAR:-default}` resolved to its default. */
function composeEdgeEnv(): Record<string, string> {
  const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: { edge: { environment: Environment } };
  };
  return Object.fromEntries(
    Object.entries(compose.services.edge.environment).map(([name, value]) => [
      name,
      String(value ?? '').replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1'),
    ]),
  );
}

describe('forged client addresses through the compose layout (edge -> nginx lb -> two origins)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vidra-compose-'));
  const database = `vidra_compose_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = postgres(POSTGRES_TEST_URL, { max: 1, onnotice: () => {} });
  // Fresh secrets, as an operator's .env would give them: none of them may show up in any argv.
  const secrets = {
    INTERNAL_API_TOKEN: `internal-${randomBytes(16).toString('hex')}`,
    PLAYBACK_KEYS: `k1:${randomBytes(24).toString('hex')}`,
    UPSTASH_REDIS_REST_TOKEN: `bridge-${randomBytes(16).toString('hex')}`,
  };
  const running: ChildProcess[] = [];
  let lb: Awaited<ReturnType<typeof startLoopbackLb>> | undefined;
  let edge: ReturnType<typeof spawnTier>;
  let edgeUrl: string;
  let originsUrl: string;

  beforeAll(async () => {
    await admin.unsafe(`create database ${database}`);
    const databaseUrl = new URL(POSTGRES_TEST_URL);
    databaseUrl.pathname = `/${database}`;
    const [edgePort, lbPort, bridgePort, ...originPorts] = await Promise.all(
      [0, 1, 2, 3, 4].map(() => freePort()),
    );
    edgeUrl = `http://127.0.0.1:${edgePort}`;

    // origin-1 and origin-2 start together on one database, as compose starts them.
    const origins = originPorts.map((port, i) =>
      spawnTier(['node', '--import', 'tsx', 'origin/src/main.ts'], {
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: databaseUrl.toString(),
        DATA_DIR: path.join(dir, `origin-${i + 1}`),
        UPLOAD_DIR: path.join(dir, 'uploads'),
        PUBLIC_URL: edgeUrl,
        INTERNAL_API_TOKEN: secrets.INTERNAL_API_TOKEN,
        RUNNER_REGISTRATION_TOKEN: `runner-${randomBytes(16).toString('hex')}`,
        SCRYPT_LOG2_N: '10',
        LOG_LEVEL: 'info',
      }),
    );
    running.push(...origins.map((o) => o.child));
    // The Upstash REST bridge (compose's redis-rest) on a Redis database of its own, so that the
    // edge's shared rate-limit keys do not meet other suites'.
    const redis = new URL(process.env.REDIS_URL_TEST ?? 'redis://127.0.0.1:6379');
    redis.pathname = `/${1 + Math.floor(Math.random() * 15)}`;
    const bridge = spawnTier(['node', '--import', 'tsx', 'scripts/upstash-bridge/main.ts'], {
      REDIS_URL: redis.toString(),
      UPSTASH_BRIDGE_TOKEN: secrets.UPSTASH_REDIS_REST_TOKEN,
      UPSTASH_BRIDGE_PORT: String(bridgePort),
    });
    running.push(bridge.child);
    for (const [i, origin] of origins.entries())
      await waitFor(
        async () =>
          origin.output().includes(`"url":"http://127.0.0.1:${originPorts[i]}"`) ? true : undefined,
        60_000,
        origin.output,
      );
    lb = await startLoopbackLb(lbPort as number, originPorts);
    originsUrl = lb.url;

    // The edge with compose's environment; only the compose service names become loopback addresses.
    const env = composeEdgeEnv();
    expect(env.ORIGINS).toBe('http://lb:8080');
    expect(env).toHaveProperty('CLIENT_IP_SOURCE');
    edge = spawnTier(['npm', 'run', '--silent', 'edge'], {
      ...env,
      ...secrets,
      ORIGINS: lb.url,
      UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${bridgePort}`,
      PUBLIC_URL: edgeUrl,
      EDGE_HOST: '127.0.0.1',
      EDGE_PORT: String(edgePort),
    });
    running.push(edge.child);
    await waitFor(
      async () => (edge.output().includes(`edge listening on ${edgeUrl}`) ? true : undefined),
      90_000,
      edge.output,
    );
  }, 180_000);

  afterAll(async () => {
    for (const child of running.reverse()) await killGroup(child, 'SIGTERM');
    await lb?.stop();
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('throttles 25 wrong video passwords sent with rotating CF-Connecting-IP, X-Forwarded-For and X-Real-IP', async () => {
    const { guess } = await passwordVideoAt(edgeUrl, 'compose_pw');
    const answers: Array<{ status: number; body: unknown }> = [];
    for (let i = 0; i < 25; i++) {
      const response = await guess(`wrong guess ${i}`, i);
      answers.push({ status: response.status, body: await response.json() });
    }
    const statuses = answers.map((a) => a.status);
    expect(statuses.slice(0, 3)).toEqual([403, 403, 403]);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
    expect(statuses.slice(-5)).toEqual([429, 429, 429, 429, 429]);
    expect(statuses.every((s) => s === 403 || s === 429)).toBe(true);
    for (const answer of answers.filter((a) => a.status === 429))
      expectErrorShape(answer.body, 'too_many_requests');

    const right = await guess('the right password', 99);
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).toMatch(/^\d+$/);
    const body = await right.json();
    expectErrorShape(body, 'too_many_requests');
    // The origins' password throttle, reached through nginx, not only the edge's request budget.
    expect(body.error.message).toMatch(/wrong passwords/);
    // Both origins served through the lb (round robin), so the throttle is shared state, not luck.
    const access = readFileSync(path.join(lb?.prefix ?? '', 'access.log'), 'utf8');
    expect(new Set(access.match(/upstream=127\.0\.0\.1:\d+/g)).size).toBe(2);
  });

  it('keeps the edge secrets out of every argv: workerd reads them from a 0600 file in a 0700 folder', () => {
    const argvs = commandLines();
    for (const argv of argvs)
      for (const secret of Object.values(secrets)) expect(argv.join(' ')).not.toContain(secret);
    const workerd = argvs.find((argv) => {
      const config = argv.at(-1) ?? '';
      if (!argv.includes('serve') || !config.endsWith('workerd.capnp')) return false;
      try {
        return readFileSync(config, 'utf8').includes(`text = "${originsUrl}"`);
      } catch {
        return false;
      }
    });
    expect(workerd, edge.output()).toBeDefined();
    const config = workerd?.at(-1) as string;
    expect(readFileSync(config, 'utf8')).toContain(secrets.PLAYBACK_KEYS);
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(config)).mode & 0o777).toBe(0o700);
  });
});
