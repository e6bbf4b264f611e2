import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const workDir = path.join(process.env.TMPDIR ?? '/tmp', `vidra-encoder-start-${process.pid}`);
afterAll(() => rm(workDir, { recursive: true, force: true }));

/** Start `npm run transcoder` against an origin that is not there; resolve once `until` shows or it exits. */
function startTranscoder(env: Record<string, string>, until?: RegExp) {
  // node itself, not the tsx wrapper, so the kill below reaches the transcoder and leaves no orphan.
  const child = spawn(process.execPath, ['--import', 'tsx', 'transcoder/src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      ORIGIN_URL: 'http://127.0.0.1:9',
      RUNNER_REGISTRATION_TOKEN: 'test-token',
      WORK_DIR: workDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (until?.test(output)) {
        child.kill('SIGKILL');
        resolve({ code: null, output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('TRANSCODER_ENCODER at start-up (no GPU on this machine)', () => {
  it('a forced nvenc stops the transcoder before it registers, with the cause', async () => {
    const { code, output } = await startTranscoder({ TRANSCODER_ENCODER: 'nvenc' });
    expect(code).toBe(1);
    expect(output).toMatch(/TRANSCODER_ENCODER=nvenc, but a test encode with nvenc failed: \S+/);
    expect(output).not.toMatch(/could not register/);
    expect(output).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('auto logs the fallback to x264 and goes on to register', async () => {
    const { output } = await startTranscoder(
      { TRANSCODER_ENCODER: 'auto' },
      /could not register with the origin/,
    );
    expect(output).toMatch(/no hardware encoder works here; encoding with x264/);
    expect(output.indexOf('encoding with x264')).toBeLessThan(output.indexOf('could not register'));
  });

  it('an unknown encoder name is refused by the environment check', async () => {
    const { code, output } = await startTranscoder({ TRANSCODER_ENCODER: 'cuda' });
    expect(code).toBe(1);
    expect(output).toMatch(
      /TRANSCODER_ENCODER: Invalid option: expected one of "auto"\|"x264"\|"nvenc"\|"vaapi"\|"qsv"/,
    );
  });
});
