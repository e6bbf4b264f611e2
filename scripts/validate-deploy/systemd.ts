import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type CheckResult, runTool, tidy, which } from './tools.js';

/** Settings every Vidra unit must carry: a dedicated user, its settings file, and the hardening. */
const REQUIRED = [
  'User=vidra',
  'EnvironmentFile=',
  'NoNewPrivileges=yes',
  'ProtectSystem=strict',
  'PrivateTmp=yes',
];

/** `systemd-analyze verify` (warnings count as failures: it exits 0 on an unknown key) plus the required settings. */
export function checkSystemdUnits(dir: string, options: { useTool?: boolean } = {}): CheckResult {
  const units = readdirSync(dir)
    .filter((f) => f.endsWith('.service'))
    .sort();
  const problems: string[] = [];
  for (const unit of units) {
    const text = readFileSync(path.join(dir, unit), 'utf8');
    for (const setting of REQUIRED)
      if (!text.split('\n').some((line) => line.startsWith(setting)))
        problems.push(`${unit}: missing ${setting}`);
  }
  const analyze = options.useTool === false ? undefined : which('systemd-analyze');
  if (analyze) {
    const { code, stdout, stderr } = runTool(analyze, ['verify', ...units.map((u) => path.join(dir, u))]);
    const said = tidy(`${stderr}\n${stdout}`);
    if (code !== 0 || said) problems.push(`systemd-analyze verify:\n${said}`);
  }
  const method = analyze
    ? 'systemd-analyze verify + required hardening'
    : 'required hardening (no systemd-analyze)';
  return { name: `systemd ${dir}`, method, problems };
}
