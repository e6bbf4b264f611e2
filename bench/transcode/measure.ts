import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc times; 100 on every common Linux. */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds (user + system) of all finished child processes of this process, from
 * /proc/self/stat (cutime + cstime). On a shared machine this is steadier than wall time, so the
 * bench reports both. NaN where /proc is missing.
 */
export function childCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after "(comm)": state is field 3, cutime 16 and cstime 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

/** A result with the time it took. */
export interface Measurement<T> {
  value: T;
  wallSeconds: number;
  cpuSeconds: number;
}

/** Runs `work` and reports its wall time and the CPU time of the processes it ran. */
export async function measure<T>(work: () => Promise<T>): Promise<Measurement<T>> {
  const cpu = childCpuSeconds();
  const start = performance.now();
  const value = await work();
  return { value, wallSeconds: (performance.now() - start) / 1000, cpuSeconds: childCpuSeconds() - cpu };
}

/** The better of two measurements: least wall time and least CPU time, each on its own. */
export function bestOf(
  previous: Measurement<unknown> | undefined,
  next: Measurement<unknown>,
): Measurement<unknown> {
  if (!previous) return next;
  return {
    value: next.value,
    wallSeconds: Math.min(previous.wallSeconds, next.wallSeconds),
    cpuSeconds: Math.min(previous.cpuSeconds, next.cpuSeconds),
  };
}

/** Fixed-width text table: first row is the header. */
export function table(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const widths = (rows[0] ?? []).map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  const line = (row: ReadonlyArray<string>) =>
    row
      .map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0)))
      .join('  ');
  return [line(rows[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join(
    '\n',
  );
}

/** Rounds to `digits` decimals. */
export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;
