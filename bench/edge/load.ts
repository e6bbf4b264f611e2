import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';

/** Hammer `url` with `concurrency` keep-alive clients for `durationMs`; bounded, stops by itself. */
export async function loadTest(
  url: string,
  concurrency: number,
  durationMs: number,
): Promise<{ requests: number; rps: number }> {
  const agent = new Agent({ connections: concurrency, pipelining: 1 });
  const deadline = Date.now() + durationMs;
  let requests = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const res = await request(url, { dispatcher: agent });
        if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
        await res.body.dump();
        requests++;
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  await agent.close();
  return { requests, rps: requests / elapsed };
}

/**
 * Hammer `url` with wrk (a native generator: `apt-get install wrk`), `concurrency` keep-alive
 * connections on `threads` threads, for `durationMs`. Every answer that is not a 2xx/3xx, every
 * socket error and every timeout counts as an error. Undefined when wrk is not installed.
 */
export async function wrkTest(
  url: string,
  concurrency: number,
  durationMs: number,
  threads = 2,
): Promise<{ requests: number; rps: number; bytesPerSecond: number; errors: number } | undefined> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(
      'wrk',
      [
        '-t',
        String(threads),
        '-c',
        String(concurrency),
        '-d',
        `${Math.ceil(durationMs / 1000)}s`,
        '--timeout',
        '10s',
        url,
      ],
      { timeout: durationMs + 30_000 },
    ));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const number = (pattern: RegExp) => Number(pattern.exec(stdout)?.[1] ?? 0);
  const units: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
  const transfer = /Transfer\/sec:\s+([\d.]+)(\w+)/.exec(stdout);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const requests = number(/(\d+) requests in/);
  return {
    requests,
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    bytesPerSecond: transfer ? Number(transfer[1]) * (units[transfer[2] as string] ?? 1) : 0,
    errors:
      number(/Non-2xx or 3xx responses: (\d+)/) +
      (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function waitForUrl(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not come up`);
}

/**
 * The edge as `npm run edge` runs it (bundled, under `workerd serve`), on a free port, with the
 * worker's vars in `vars`. The launcher runs in its own process group: stop it with
 * `process.kill(-child.pid)` so that workerd goes too.
 */
export async function spawnServedEdge(
  vars: Record<string, string>,
  buildDir: string,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/edge/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    stdio: 'ignore',
    detached: true,
    env: { ...process.env, ...vars, EDGE_PORT: String(port), EDGE_BUILD_DIR: buildDir },
  });
  return { url: `http://127.0.0.1:${port}`, child };
}
