import { spawnSync } from 'node:child_process';

/**
 * How a child is tied to the transcoder's life, so that FFmpeg never outlives a transcoder that
 * was killed outright (`kill -9`, the OOM killer), where no cleanup code runs:
 * - `setpriv`: util-linux `setpriv --pdeathsig KILL -- cmd`; the kernel SIGKILLs the child when its
 *   parent dies. setpriv execs the command, so the child keeps its pid and Node stays its parent.
 * - `pipe`: a POSIX sh wrapper runs the command and watches its stdin, a pipe from Node; when Node
 *   dies the pipe closes and the wrapper SIGKILLs the command. For systems without setpriv (macOS).
 * - `none`: plain spawn (Windows, or no /bin/sh).
 */
export type ParentDeath = 'setpriv' | 'pipe' | 'none';

/**
 * The `pipe` wrapper. Background jobs of a non-interactive shell read /dev/null, so the watcher
 * reads a copy of stdin taken first (fd 3); it and the command keep no other pipe of the wrapper
 * open, so Node sees stdout/stderr close only once the command has exited. A command killed by a
 * signal is reported as that signal, as if it had not been wrapped.
 */
const PIPE_WRAPPER = [
  'exec 3<&0',
  '"$@" </dev/null 3<&- & pid=$!',
  '{ cat <&3 >/dev/null 2>&1; kill -9 "$pid" 2>/dev/null; } </dev/null >/dev/null 2>&1 & watcher=$!',
  'exec 3<&-',
  'wait "$pid"; code=$?',
  'kill "$watcher" 2>/dev/null',
  'if [ "$code" -gt 128 ] && [ "$code" -lt 160 ]; then kill -s "$(kill -l "$code")" $$; fi',
  'exit "$code"',
].join('\n');

/** The exit code of setpriv and sh when the command itself could not be executed. */
export const WRAPPED_NOT_FOUND = 127;

/** The command line that runs `command args` under the given parent-death mode. */
export function withParentDeath(
  mode: ParentDeath,
  command: string,
  args: readonly string[],
): { command: string; args: readonly string[] } {
  if (mode === 'setpriv')
    return { command: 'setpriv', args: ['--pdeathsig', 'KILL', '--', command, ...args] };
  if (mode === 'pipe') return { command: '/bin/sh', args: ['-c', PIPE_WRAPPER, 'sh', command, ...args] };
  return { command, args };
}

let detected: ParentDeath | undefined;

/** The best mode this machine supports, probed once (setpriv without --pdeathsig predates 2.33). */
export function detectParentDeath(): ParentDeath {
  if (detected) return detected;
  if (process.platform === 'win32') detected = 'none';
  else if (spawnSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore' }).status === 0)
    detected = 'setpriv';
  else detected = spawnSync('/bin/sh', ['-c', 'true'], { stdio: 'ignore' }).status === 0 ? 'pipe' : 'none';
  return detected;
}
