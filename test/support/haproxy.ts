import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, waitFor } from './stack.js';

/** The origin/edge split's load balancer config (deploy/haproxy/haproxy.cfg). */
export const HAPROXY_CONFIG = path.join(ROOT, 'deploy/haproxy/haproxy.cfg');

/**
 * The committed config on loopback: `bind :8080` becomes `127.0.0.1:<port>`, and each
 * `server origin-N origin-N:8080` points at the N-th port. Everything else is kept as is.
 */
export function renderLoopbackHaproxy(config: string, port: number, origins: number[]): string {
  let text = config.replace(/^(\s*)bind :8080$/m, `$1bind 127.0.0.1:${port}`);
  if (text === config) throw new Error('haproxy.cfg: no `bind :8080` line');
  origins.forEach((originPort, i) => {
    const line = new RegExp(`server origin-${i + 1} origin-${i + 1}:8080`);
    if (!line.test(text)) throw new Error(`haproxy.cfg: no server origin-${i + 1}`);
    text = text.replace(line, `server origin-${i + 1} 127.0.0.1:${originPort}`);
  });
  return text;
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
      .once('connect', () => resolve(!!socket.end()))
      .once('error', () => resolve(false));
  });

/** haproxy in the foreground (`-db`) with the rendered config; `stop()` kills it. */
export async function startHaproxy(port: number, origins: number[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'vidra-haproxy-'));
  const config = path.join(dir, 'haproxy.cfg');
  writeFileSync(config, renderLoopbackHaproxy(readFileSync(HAPROXY_CONFIG, 'utf8'), port, origins));
  let output = '';
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  await waitFor(
    async () => ((await listening(port)) ? true : undefined),
    10_000,
    () => `haproxy: ${output}`,
  );
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
