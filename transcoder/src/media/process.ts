import { spawn } from 'node:child_process';
import { detectParentDeath, type ParentDeath, WRAPPED_NOT_FOUND, withParentDeath } from './parent-death.js';

/** Options for runProcess. */
export interface RunOptions {
  signal?: AbortSignal;
  /** Kill the process after this many milliseconds; `undefined` means no limit. */
  timeoutMs?: number;
  /** Receives stdout as it arrives (FFmpeg's `-progress pipe:1`). */
  onStdout?: (chunk: string) => void;
  /** Keep stdout in the result (ffprobe's JSON); the run fails if it exceeds `maxStdoutBytes`. */
  captureStdout?: boolean;
  maxStdoutBytes?: number;
  /** Only the end of stderr is kept: FFmpeg's reason for failing is in its last lines. */
  maxStderrBytes?: number;
  /** How the child is made to die with this process; the best the machine supports by default. */
  parentDeath?: ParentDeath;
}

/** How a process ended, with its output. */
export interface RunResult {
  /** Exit code, or `null` when something other than this wrapper killed the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The process ran longer than `timeoutMs` and was killed. */
export class ProcessTimeoutError extends Error {
  override readonly name = 'ProcessTimeoutError';
}

/**
 * Runs a command without a shell and settles only after the child has exited, so an aborted or
 * timed-out run never leaves a process behind. Aborts and timeouts SIGKILL at once: a transcode
 * that is being cancelled has no output worth flushing. The child also dies if this process is
 * killed outright (see parent-death.ts), so a crashed transcoder leaves no FFmpeg running. A non-zero exit resolves (callers read
 * stderr to explain it); spawn errors, aborts, timeouts and oversized stdout reject.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  const { signal, timeoutMs, onStdout, captureStdout = false } = opts;
  const maxStdout = opts.maxStdoutBytes ?? 8 * 1024 * 1024;
  const maxStderr = opts.maxStderrBytes ?? 64 * 1024;
  if (signal?.aborted) return Promise.reject(abortReason(signal));

  return new Promise((resolve, reject) => {
    const mode = opts.parentDeath ?? detectParentDeath();
    const wrapped = withParentDeath(mode, command, args);
    const child = spawn(wrapped.command, wrapped.args, { stdio: 'pipe', windowsHide: true });
    // In `pipe` mode stdin is the lifeline the wrapper watches, never written to; otherwise the
    // child reads end-of-file at once, as from /dev/null.
    child.stdin.on('error', () => {});
    if (mode !== 'pipe') child.stdin.end();
    let stdout = '';
    let stderr = '';
    let failure: Error | undefined;

    const kill = (error: Error) => {
      failure ??= error;
      // A `pipe` wrapper SIGKILLs its command once the lifeline closes, reaps it and exits the same
      // way, so 'close' still means the command is gone; killing the wrapper would orphan it.
      if (mode === 'pipe') child.stdin.destroy();
      else if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const onAbort = () => kill(abortReason(signal));
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => kill(new ProcessTimeoutError(`${command} ran longer than ${timeoutMs} ms`)),
            timeoutMs,
          );
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      onStdout?.(chunk);
      if (!captureStdout) return;
      stdout += chunk;
      if (stdout.length > maxStdout) kill(new Error(`${command} wrote more than ${maxStdout} bytes`));
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-maxStderr);
    });

    // Spawn failures (a missing binary) emit 'error' and then 'close', so 'close' alone settles.
    child.on('error', (error: NodeJS.ErrnoException) => {
      failure ??= error.code === 'ENOENT' ? new Error(`${command} is not installed or not on PATH`) : error;
    });
    child.on('close', (code, killSignal) => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (!failure && mode !== 'none' && code === WRAPPED_NOT_FOUND && /execute|not found/.test(stderr))
        failure = new Error(`${command} is not installed or not on PATH`);
      if (failure) reject(failure);
      else resolve({ code, signal: killSignal, stdout, stderr });
    });
  });
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  return new DOMException('The operation was aborted', 'AbortError');
}

/** Options for startProcess. */
export interface StartOptions {
  /** Extra output pipes after stdout, as stdio fds 3, 4, ... (FFmpeg's `pipe:3`). */
  extraOutputs?: number;
  /** Receives the bytes of output `index` (0 is stdout, 1 is fd 3, ...) as they arrive. */
  onOutput: (index: number, chunk: Uint8Array) => void;
  maxStderrBytes?: number;
  parentDeath?: ParentDeath;
}

/** A long-running child with binary output pipes, stopped on demand (the live FFmpeg). */
export interface StartedProcess {
  /** Settles once the child has exited and its pipes are closed. Never rejects. */
  readonly exited: Promise<RunResult & { error?: Error }>;
  /**
   * SIGTERM, then SIGKILL after `graceMs` (0: SIGKILL at once). Resolves once it has exited.
   * Under the `pipe` wrapper there is no SIGTERM to give: the command is SIGKILLed through it.
   */
  stop(graceMs: number): Promise<void>;
}

/**
 * Starts a command without a shell, with its stdout (and `extraOutputs` more pipes) delivered as
 * bytes, tied to this process's life like runProcess. The `pipe` wrapper keeps fd 3 for itself,
 * so extra outputs need `setpriv` or `none`.
 */
export function startProcess(command: string, args: readonly string[], opts: StartOptions): StartedProcess {
  const mode = opts.parentDeath ?? detectParentDeath();
  const extra = opts.extraOutputs ?? 0;
  if (extra > 0 && mode === 'pipe')
    throw new Error('extra output pipes need setpriv or no parent-death wrapper');
  const maxStderr = opts.maxStderrBytes ?? 64 * 1024;
  const wrapped = withParentDeath(mode, command, args);
  const child = spawn(wrapped.command, wrapped.args, {
    stdio: ['pipe', 'pipe', 'pipe', ...Array.from({ length: extra }, () => 'pipe' as const)],
    windowsHide: true,
  });
  child.stdin?.on('error', () => {});
  if (mode !== 'pipe') child.stdin?.end();
  let stderr = '';
  let error: Error | undefined;
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-maxStderr);
  });
  for (let index = 0; index <= extra; index++) {
    const stream = child.stdio[index === 0 ? 1 : index + 2];
    stream?.on('data', (chunk: Buffer) => opts.onOutput(index, chunk));
    stream?.on('error', () => {});
  }
  child.on('error', (e: NodeJS.ErrnoException) => {
    error ??= e.code === 'ENOENT' ? new Error(`${command} is not installed or not on PATH`) : e;
  });
  const exited = new Promise<RunResult & { error?: Error }>((resolve) => {
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout: '', stderr, ...(error ? { error } : {}) }),
    );
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const kill = () => {
    if (mode === 'pipe') child.stdin?.destroy();
    else if (running()) child.kill('SIGKILL');
  };
  return {
    exited,
    async stop(graceMs) {
      if (graceMs <= 0 || mode === 'pipe') kill();
      else if (running()) child.kill('SIGTERM');
      const timer = graceMs > 0 ? setTimeout(kill, graceMs) : undefined;
      await exited;
      if (timer) clearTimeout(timer);
    },
  };
}
