import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/edge/load.js';
import { POSTGRES_TEST_URL } from '../../origin/test/harness.js';
import { commandLines, killGroup, waitFor } from '../support/stack.js';
import { npmRun, startEdgeTier } from '../support/tiers.js';

const INTERNAL_API_TOKEN = 'tiers-internal-token-0123456789';
const RUNNER_REGISTRATION_TOKEN = 'tiers-runner-token-0123456789';

describe('each tier starts alone from env (npm run origin | transcoder | edge)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vidra-tiers-'));
  const database = `vidra_tiers_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = postgres(POSTGRES_TEST_URL, { max: 1, onnotice: () => {} });
  const running: ChildProcess[] = [];
  let origin: ReturnType<typeof npmRun>;
  let originUrl: string;
  let edgeUrl: string;

  beforeAll(async () => {
    // A fresh, empty database: the origin migrates it itself.
    await admin.unsafe(`create database ${database}`);
    const url = new URL(POSTGRES_TEST_URL);
    url.pathname = `/${database}`;
    const port = await freePort();
    origin = npmRun('origin', {
      PORT: String(port),
      DATABASE_URL: url.toString(),
      DATA_DIR: path.join(dir, 'origin'),
      INTERNAL_API_TOKEN,
      RUNNER_REGISTRATION_TOKEN,
      SCRYPT_LOG2_N: '10',
      // The default transcode lease (15 s), watched at its expiry: a dead transcoder's job must be
      // taken over within 20 s without any tuning.
      JOB_RETRY_BASE_SECONDS: '0',
      LOG_LEVEL: 'info',
    });
    running.push(origin.child);
    originUrl = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => (origin.output().includes(`"url":"${originUrl}"`) ? true : undefined),
      60_000,
      origin.output,
    );
  }, 90_000);

  afterAll(async () => {
    for (const child of running) await killGroup(child);
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a bad environment with a clear message and a non-zero exit', async () => {
    const [badOrigin, badTranscoder, badEdge] = [
      npmRun('origin', { PORT: 'eighty', DATABASE_URL: 'mysql://x' }),
      npmRun('transcoder', { RUNNER_REGISTRATION_TOKEN: '', ORIGIN_URL: 'not a url' }),
      npmRun('edge', { ORIGINS: '', EDGE_PORT: String(await freePort()) }),
    ];
    expect(await badOrigin.exited).toBe(1);
    expect(badOrigin.output()).toContain('Invalid environment variables');
    expect(badOrigin.output()).toMatch(/PORT: .*\n.*DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(await badTranscoder.exited).toBe(1);
    expect(badTranscoder.output()).toMatch(
      /ORIGIN_URL: .*\n.*RUNNER_REGISTRATION_TOKEN: set it to the origin/,
    );
    expect(await badEdge.exited).toBe(1);
    expect(badEdge.output()).toMatch(/Invalid edge environment variables:\n {2}ORIGINS: /);
    for (const output of [badOrigin.output(), badTranscoder.output(), badEdge.output()])
      expect(output).not.toMatch(/\n\s+at /); // no stack trace
  }, 60_000);

  it('serves the origin on its fresh PostgreSQL database', async () => {
    const operator = { headers: { authorization: `Bearer ${INTERNAL_API_TOKEN}` } };
    expect(await (await fetch(`${originUrl}/readyz`, operator)).json()).toMatchObject({ ok: true });
  });

  it('serves the edge under workerd serve: health, static assets, and API calls proxied to the origin', async () => {
    const { edge, url } = await startEdgeTier(originUrl, path.join(dir, 'edge'), INTERNAL_API_TOKEN);
    running.push(edge.child);
    edgeUrl = url;
    // workerd itself serves the generated config, not wrangler dev.
    const config = path.join(dir, 'edge', 'workerd.capnp');
    expect(commandLines().some((argv) => argv.includes('serve') && argv.at(-1) === config)).toBe(true);
    expect(readFileSync(config, 'utf8')).toContain(`text = "${originUrl}"`);
    const health = await fetch(`${edgeUrl}/edge/healthz`);
    expect(health.status).toBe(200);
    const css = await fetch(`${edgeUrl}/static/vidra.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('--bg');
    // Only listed files come from the disk: never a directory listing.
    expect(await (await fetch(`${edgeUrl}/static/`)).text()).not.toContain('"type":"file"');
    const list = await fetch(`${edgeUrl}/api/v1/videos`);
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ total: 0, data: [], nextCursor: null });
  }, 90_000);
  // A transcoder killed with kill -9 mid-job (its FFmpeg going with it, another taking the job
  // over) is tested in the origin/edge split, split.e2e.test.ts, with a short lease.
});
