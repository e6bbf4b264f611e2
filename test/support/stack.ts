import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { createTestApp, type Driver, TEST_CONFIG } from '../../origin/test/harness.js';

const run = promisify(execFile);
export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * A real origin on a loopback port, on a fresh database, for processes (transcoders) to talk to.
 * Like `main.ts`, it runs the lease watch, and the cleanup worker when `cleanupWorker` is set.
 */
export async function startOriginServer(
  driver: Driver,
  overrides: Partial<typeof TEST_CONFIG> = {},
  options: { cleanupWorker?: boolean } = {},
) {
  const t = await createTestApp(driver, overrides, { watchLeases: true, ...options });
  const server = serve({ fetch: t.app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...t,
    url,
    async close() {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

/** A tier (`command`, run from the repo root) as its own process group, output collected. */
export function spawnTier(command: string[], env: Record<string, string>) {
  let output = '';
  const child = spawn(command[0] as string, command.slice(1), {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/**
 * A transcoder as its own process group, so SIGKILL takes FFmpeg down with it, like a machine
 * dying. Output is collected for failure messages.
 */
export function spawnTranscoder(
  originUrl: string,
  name: string,
  extraEnv: Record<string, string> = {},
): { child: ChildProcess; output: () => string; workDir: string } {
  let output = '';
  const workDir = mkdtempSync(path.join(tmpdir(), `vidra-${name}-`));
  const child = spawn(process.execPath, ['--import', 'tsx', 'transcoder/src/main.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ORIGIN_URL: originUrl,
      RUNNER_REGISTRATION_TOKEN: TEST_CONFIG.runnerRegistrationToken,
      TRANSCODER_NAME: name,
      X264_PRESET: 'ultrafast',
      POLL_SECONDS: '1',
      LOG_LEVEL: 'info',
      WORK_DIR: workDir,
      ...extraEnv,
    },
  });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return { child, output: () => output, workDir };
}

/** The processes whose parent is `pid`, with their command names, read from /proc. */
export function childrenOf(pid: number): Array<{ pid: number; comm: string }> {
  return readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...; comm may hold spaces, so split after the last ')'.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(ppid) === pid && state !== 'Z' ? [{ pid: Number(entry), comm }] : [];
    } catch {
      return []; // exited while we looked
    }
  });
}

/** Kill a process group outright and wait for it to be gone. */
export async function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    // already gone
  }
  await exited;
}

/** Generate a small test clip with FFmpeg's lavfi sources. */
export async function generateClip(
  file: string,
  options: { width: number; height: number; seconds: number; audio?: boolean; codec?: 'libx264' | 'mpeg4' },
): Promise<string> {
  const { width, height, seconds } = options;
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${width}x${height}:rate=25:duration=${seconds}`,
  ];
  if (options.audio !== false)
    args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`);
  args.push('-c:v', options.codec ?? 'libx264', '-pix_fmt', 'yuv420p');
  if (options.codec !== 'mpeg4') args.push('-preset', 'ultrafast');
  if (options.audio !== false) args.push('-c:a', 'aac', '-b:a', '64k');
  args.push('-movflags', '+faststart', file);
  await run('ffmpeg', args);
  return file;
}

// biome-ignore lint/suspicious/noExplicitAny: ffprobe JSON is inspected loosely by tests
export async function ffprobeJson(file: string, extra: string[] = []): Promise<any> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_streams',
    '-show_format',
    ...extra,
    file,
  ]);
  return JSON.parse(stdout);
}

/** Poll until `check` returns a value, or fail with `describe()` after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The argument vectors of every process on the machine. */
export function commandLines(): string[][] {
  return readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      return [readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean)];
    } catch {
      return [];
    }
  });
}
