import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { wranglerBin } from '../scripts/wrangler-bin.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const wrangler = wranglerBin();

describe('wrangler deploy', () => {
  it('bundles the production environment (dry run), without node:* and under the Workers size limit', async () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'vidra-edge-dist-'));
    try {
      const { stdout } = await run(
        process.execPath,
        [wrangler, 'deploy', '--dry-run', '--env', 'production', '--outdir', outdir],
        { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' }, timeout: 120_000 },
      );
      expect(stdout).toContain('--dry-run: exiting now.');
      expect(stdout).toMatch(/env\.ORIGINS \("https:\/\/origin-1\.example\.com/);
      const bundle = readFileSync(path.join(outdir, 'index.js'), 'utf8');
      expect(bundle).not.toMatch(/from\s+["']node:/);
      // Free-plan Workers must stay under 3 MiB compressed; keep far below it for cold starts.
      expect(bundle.length).toBeLessThan(1024 * 1024);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 150_000);
});
