import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../bench/edge/load.js';
import { ROOT } from './stack.js';

/** `npm start` run as a newcomer would, on fresh embedded data and free ports. */
export interface RunningPlatform {
  child: ChildProcess;
  dataDir: string;
  originPort: number;
  edgePort: number;
  /** The in-process RTMP ingest's port: encoders publish to `rtmp://127.0.0.1:<port>/live/<key>`. */
  ingestPort: number;
  edgeUrl: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * A port found free can be taken by another process before the platform binds it: suites run side
 * by side, and wrangler picks its own internal ports too. Such a start is retried on new ports.
 */
const PORT_RACE = /Address already in use|EADDRINUSE/;
const START_ATTEMPTS = 3;

/**
 * `extraEnv` may be a function of the edge's URL, for settings that must name it before it exists
 * (`PUBLIC_URL` of a federating instance).
 */
export async function startPlatform(
  extraEnv: Record<string, string> | ((edgeUrl: string) => Record<string, string>) = {},
): Promise<RunningPlatform> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPlatformOnce(extraEnv);
    } catch (error) {
      if (attempt >= START_ATTEMPTS || !(error instanceof PortRaceError)) throw error;
    }
  }
}

class PortRaceError extends Error {}

async function startPlatformOnce(
  extra: Record<string, string> | ((edgeUrl: string) => Record<string, string>),
): Promise<RunningPlatform> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vidra-start-'));
  const originPort = await freePort();
  const edgePort = await freePort();
  const extraEnv = typeof extra === 'function' ? extra(`http://127.0.0.1:${edgePort}`) : extra;
  // Never the default 1935: suites run side by side, and a developer may have an encoder target open.
  const ingestPort = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(originPort),
      EDGE_PORT: String(edgePort),
      INGEST_RTMP_PORT: String(ingestPort),
      // SRT listeners would bind LIVE_SRT_PORTS (9000-9099): only the SRT suite turns them on, on free ports.
      INGEST_SRT: 'off',
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 120_000;
  while (!output.includes('Vidra is running')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      if (child.exitCode === null) child.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
      const Failure = PORT_RACE.test(output) ? PortRaceError : Error;
      throw new Failure(`npm start did not come up: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    child,
    dataDir,
    originPort,
    edgePort,
    ingestPort,
    edgeUrl: `http://127.0.0.1:${edgePort}`,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Register a user through the edge, then sign in (registration opens no session); a JSON-call helper. */
export async function apiUser(edgeUrl: string, name: string) {
  const post = (route: string, body: Record<string, string>) =>
    fetch(`${edgeUrl}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const credentials = { email: `${name}@example.com`, password: 'a long password' };
  const registered = await post('/api/v1/auth/register', { ...credentials, username: name });
  if (registered.status !== 202)
    throw new Error(`register ${name}: ${registered.status} ${await registered.text()}`);
  const res = await post('/api/v1/auth/login', credentials);
  if (res.status !== 200) throw new Error(`login ${name}: ${res.status} ${await res.text()}`);
  const session = await res.json();
  const token = session.accessToken as string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  const call = async (method: string, url: string, body?: unknown): Promise<any> => {
    const r = await fetch(`${edgeUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return r.headers.get('content-type')?.includes('json') ? r.json() : r.text();
  };
  return { token, session, call };
}
