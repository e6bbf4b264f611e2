import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectParentDeath, type ParentDeath } from './parent-death.js';
import { ProcessTimeoutError, type RunOptions, runProcess as runWith } from './process.js';

const node = process.execPath;
/** A child that prints its pid, then waits (practically) forever. */
const SLEEPER = ['-e', 'process.stdout.write(String(process.pid) + "\\n"); setInterval(() => {}, 1000)'];

/** Whether a process runs; a zombie (exited, not yet reaped by a container's init) does not. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return process.platform !== 'linux';
  }
}

// Every mode this machine supports keeps the same contract.
const MODES = [...new Set<ParentDeath>([detectParentDeath(), 'pipe'])];

describe.each(MODES)('runProcess (%s)', (parentDeath) => {
  const runProcess = (command: string, args: readonly string[], opts: RunOptions = {}) =>
    runWith(command, args, { parentDeath, ...opts });

  /** Runs the sleeper and resolves its pid as soon as it has printed it. */
  function startSleeper(opts: { signal?: AbortSignal; timeoutMs?: number }) {
    let pid = 0;
    let announce: (pid: number) => void = () => {};
    const started = new Promise<number>((resolve) => {
      announce = resolve;
    });
    const run = runProcess(node, SLEEPER, {
      ...opts,
      onStdout: (chunk) => {
        pid = Number.parseInt(chunk, 10);
        announce(pid);
      },
    });
    return { run, started, pid: () => pid };
  }

  describe('contract', () => {
    it('resolves with the exit code, captured stdout and stderr', async () => {
      const script = 'process.stdout.write("out"); process.stderr.write("err"); process.exitCode = 3';
      const result = await runProcess(node, ['-e', script], { captureStdout: true });
      expect(result).toEqual({ code: 3, signal: null, stdout: 'out', stderr: 'err' });
    });

    it('streams stdout to onStdout without keeping it unless asked', async () => {
      const chunks: string[] = [];
      const result = await runProcess(node, ['-e', 'console.log("a=1"); console.log("b=2")'], {
        onStdout: (chunk) => chunks.push(chunk),
      });
      expect(chunks.join('')).toBe('a=1\nb=2\n');
      expect(result.stdout).toBe('');
    });

    it('keeps only the end of a long stderr', async () => {
      const script = 'process.stderr.write("x".repeat(100000) + "the real reason")';
      const result = await runProcess(node, ['-e', script], { maxStderrBytes: 20 });
      expect(result.stderr).toBe('xxxxxthe real reason');
    });

    it('rejects when the program does not exist', async () => {
      await expect(runProcess('/nonexistent/ffmpeg', [])).rejects.toThrow(
        '/nonexistent/ffmpeg is not installed or not on PATH',
      );
    });

    it('kills the child on abort and settles only once it is gone', async () => {
      const controller = new AbortController();
      const sleeper = startSleeper({ signal: controller.signal });
      const pid = await sleeper.started;
      expect(isAlive(pid)).toBe(true);
      controller.abort();
      await expect(sleeper.run).rejects.toMatchObject({ name: 'AbortError' });
      expect(isAlive(pid)).toBe(false);
    });

    it('rejects with the abort reason when one is given', async () => {
      const controller = new AbortController();
      const sleeper = startSleeper({ signal: controller.signal });
      await sleeper.started;
      controller.abort(new Error('lease lost'));
      await expect(sleeper.run).rejects.toThrow('lease lost');
      expect(isAlive(sleeper.pid())).toBe(false);
    });

    it('kills the child after the timeout', async () => {
      const sleeper = startSleeper({ timeoutMs: 300 });
      const pid = await sleeper.started;
      await expect(sleeper.run).rejects.toBeInstanceOf(ProcessTimeoutError);
      expect(isAlive(pid)).toBe(false);
    });

    it('does not start anything for an already aborted signal', async () => {
      const chunks: string[] = [];
      const run = runProcess(node, SLEEPER, { signal: AbortSignal.abort(), onStdout: (c) => chunks.push(c) });
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      expect(chunks).toEqual([]);
    });

    it('kills a child that floods stdout past the limit', async () => {
      const script = 'const s = "y".repeat(65536); setInterval(() => process.stdout.write(s), 1)';
      await expect(
        runProcess(node, ['-e', script], { captureStdout: true, maxStdoutBytes: 200_000 }),
      ).rejects.toThrow('wrote more than 200000 bytes');
    });
  });

  it('dies with its parent when the parent is killed outright', async () => {
    // A Node parent that runs the sleeper through runProcess and relays the sleeper's pid.
    const script = `import { runProcess } from './transcoder/src/media/process.ts';
      runProcess(process.execPath, ${JSON.stringify(SLEEPER)}, {
        parentDeath: '${parentDeath}', onStdout: (chunk) => process.stdout.write(chunk),
      });`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: path.resolve(import.meta.dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const pid = await new Promise<number>((resolve) =>
      parent.stdout.once('data', (chunk) => resolve(Number.parseInt(String(chunk), 10))),
    );
    expect(isAlive(pid)).toBe(true);
    const exited = new Promise((resolve) => parent.once('exit', resolve));
    parent.kill('SIGKILL');
    await exited;
    const started = Date.now();
    while (isAlive(pid) && Date.now() - started < 2000) await new Promise((r) => setTimeout(r, 20));
    expect(isAlive(pid)).toBe(false);
  });
});
