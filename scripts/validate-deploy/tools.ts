import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

/** One check's outcome: what ran, and the readable problems it found (none when it passed). */
export interface CheckResult {
  name: string;
  /** How it was checked, e.g. "docker-compose config -q" or "fallback: HCL against the schema extract". */
  method: string;
  problems: string[];
}

/** The absolute path of `command` on PATH, or undefined: every external tool is optional. */
export function which(command: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Run a tool to completion, never throwing: its exit code and its output. */
export function runTool(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const code = result.status ?? (result.error ? 127 : 1);
  return {
    code,
    stdout: result.stdout ?? '',
    stderr: `${result.stderr ?? ''}${result.error?.message ?? ''}`,
  };
}

/** Trim a tool's output to the lines that say what is wrong. */
export function tidy(output: string): string {
  return output
    .split('\n')
    .map((line) => stripVTControlCharacters(line).trimEnd())
    .filter((line) => line.trim() && !/CLI configuration|\.terraformrc|^[│╷╵]\s*$/.test(line))
    .join('\n')
    .trim();
}
