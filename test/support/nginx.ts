import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, waitFor } from './stack.js';

/** The compose layout's load balancer config, the file the `lb` service mounts. */
export const LB_CONFIG = path.join(ROOT, 'deploy/nginx/nginx.conf');

export interface LoopbackLb {
  /** 127.0.0.1 port nginx listens on (compose: `lb:8080`). */
  port: number;
  /** 127.0.0.1 ports of the origins, in the order of the config's `server origin-N:8080` lines. */
  origins: number[];
  /** Private folder for the pid file, logs and temp files. */
  prefix: string;
  /** Whether nginx runs as root, which then needs a user for its workers. */
  root: boolean;
}

/** Replace exactly one match of `pattern`, or fail: a config that drifted must not pass silently. */
function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  const matches = text.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`)) ?? [];
  if (matches.length !== 1)
    throw new Error(`deploy/nginx/nginx.conf: expected one match of ${pattern}, found ${matches.length}`);
  return text.replace(pattern, replacement);
}

/**
 * deploy/nginx/nginx.conf as it would run on loopback: the same file with only its addresses and
 * host paths replaced. `origin-N:8080 resolve` becomes `127.0.0.1:<port>` (a literal needs no DNS,
 * and Debian's nginx predates `resolve` in open source), `listen 8080` a loopback port, the pid,
 * logs and temp files move into the private prefix, and workers run as `nobody` when started by
 * root (the image's `nginx` user does not exist on the host). Everything else is kept as is.
 */
export function renderLoopbackLbConfig(config: string, lb: LoopbackLb): string {
  let text = replaceOnce(config, /^user\s+\S+;$/m, lb.root ? 'user nobody nogroup;' : '');
  text = replaceOnce(text, /^pid\s+\S+;$/m, `pid ${lb.prefix}/nginx.pid;`);
  text = replaceOnce(text, /^error_log\s+\S+/m, `error_log ${lb.prefix}/error.log`);
  text = replaceOnce(text, /access_log\s+\/\S+/, `access_log ${lb.prefix}/access.log`);
  text = replaceOnce(text, /listen\s+8080\b/, `listen 127.0.0.1:${lb.port}`);
  lb.origins.forEach((port, i) => {
    text = replaceOnce(
      text,
      new RegExp(`server\\s+origin-${i + 1}:8080(\\s+resolve)?`),
      `server 127.0.0.1:${port}`,
    );
  });
  if (/server\s+origin-\d+:/.test(text)) throw new Error('nginx.conf names more origins than were started');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `  ${kind}_temp_path ${lb.prefix}/${kind}_temp;`)
    .join('\n');
  return replaceOnce(text, /^http\s*\{$/m, `http {\n${temp}\n`);
}

/**
 * nginx in the foreground (`daemon off`), with the rendered compose config in a private temp
 * prefix. `stop()` kills it and removes the folder.
 */
export async function startLoopbackLb(port: number, origins: number[]) {
  const prefix = mkdtempSync(path.join(tmpdir(), 'vidra-lb-'));
  const root = process.getuid?.() === 0;
  // Workers running as nobody must reach their temp folders, and nothing else of ours is in here.
  if (root) chmodSync(prefix, 0o711);
  for (const kind of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
    mkdirSync(path.join(prefix, `${kind}_temp`));
  const config = path.join(prefix, 'nginx.conf');
  writeFileSync(
    config,
    renderLoopbackLbConfig(readFileSync(LB_CONFIG, 'utf8'), { port, origins, prefix, root }),
  );
  let output = '';
  const child: ChildProcess = spawn(
    'nginx',
    ['-p', prefix, '-c', config, '-e', path.join(prefix, 'error.log'), '-g', 'daemon off;'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const log = () => {
    let errors = '';
    try {
      errors = readFileSync(path.join(prefix, 'error.log'), 'utf8');
    } catch {
      // not written yet
    }
    return `nginx exit ${child.exitCode}: ${output}\n${errors}`;
  };
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(log());
      return fetch(`${url}/lb-healthz`).then(
        (response) => (response.ok ? true : undefined),
        () => undefined,
      );
    },
    15_000,
    log,
  );
  return {
    url,
    prefix,
    child,
    log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // SIGTERM, not SIGKILL: the master takes its workers down; killed outright, it would orphan them.
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
