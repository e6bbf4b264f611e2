import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Write the edge's vars and secrets for `wrangler dev --env-file`: a dotenv file with mode 0600 in
 * a folder with mode 0700 under DATA_DIR, so they never appear in argv (`ps`, /proc/<pid>/cmdline).
 * Returns the file's path. Values are single-quoted (literal in dotenv); one that cannot be written
 * that way (a quote or a line break) is refused rather than mangled.
 */
export function writeEdgeVarsFile(dataDir: string, vars: Record<string, string>): string {
  const dir = path.join(dataDir, 'edge-secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const lines = Object.entries(vars).map(([name, value]) => {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`not a variable name: ${name}`);
    if (/['\r\n]/.test(value)) throw new Error(`${name} holds a quote or a line break`);
    return `${name}='${value}'`;
  });
  const file = path.join(dir, '.dev.vars');
  // mode applies on creation only; chmod covers a file left by an older run.
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
