import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { wranglerBin } from '../wrangler-bin.js';
import { type CheckResult, runTool, tidy } from './tools.js';

/** `wrangler deploy --dry-run --env production`: the Cloudflare side bundles and its config parses. */
export function checkWrangler(root: string): CheckResult {
  const outdir = mkdtempSync(path.join(tmpdir(), 'vidra-wrangler-'));
  try {
    const args = [wranglerBin(), 'deploy', '--dry-run', '--env', 'production', '--outdir', outdir];
    const { code, stdout, stderr } = runTool(process.execPath, args, {
      cwd: root,
      env: { WRANGLER_SEND_METRICS: 'false', CI: 'true' },
      timeoutMs: 180_000,
    });
    const ok = code === 0 && stdout.includes('--dry-run: exiting now.');
    return {
      name: 'wrangler.toml',
      method: 'wrangler deploy --dry-run --env production',
      problems: ok ? [] : [`wrangler deploy --dry-run failed:\n${tidy(stderr || stdout)}`],
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
