import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Runs `npm start`'s entry exactly as a newcomer would, on fresh embedded data. */
describe('npm start', () => {
  let child: ChildProcess;
  let output = '';
  let dataDir: string;
  let originPort: number;
  let edgePort: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'vidra-start-'));
    originPort = await freePort();
    edgePort = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(originPort),
        EDGE_PORT: String(edgePort),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const deadline = Date.now() + 120_000;
    while (!output.includes('Vidra is running') && Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`npm start exited: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 130_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the URLs to open', () => {
    expect(output).toContain('Vidra is running');
    expect(output).toContain(`http://127.0.0.1:${edgePort}/`);
    expect(output).toContain(`http://127.0.0.1:${originPort}/healthz`);
    expect(output).toContain('embedded PGlite');
  });

  it('serves the origin health checks on embedded PGlite', async () => {
    expect(await (await fetch(`http://127.0.0.1:${originPort}/healthz`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`http://127.0.0.1:${originPort}/readyz`)).json()).toMatchObject({ ok: true });
  });

  it('answers API calls through the edge, running in workerd', async () => {
    const edge = `http://127.0.0.1:${edgePort}`;
    const register = await fetch(`${edge}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'first@example.com',
        username: 'first_user',
        password: 'a long password',
      }),
    });
    expect(register.status).toBe(201);
    const session = await register.json();
    expect(session.user.role).toBe('admin');
    const me = await fetch(`${edge}/api/v1/users/me`, {
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    expect((await me.json()).username).toBe('first_user');
    const list = await fetch(`${edge}/api/v1/videos`);
    expect(await list.json()).toEqual({ items: [], nextCursor: null });
  });

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    await expect(fetch(`http://127.0.0.1:${originPort}/healthz`)).rejects.toThrow();
  });
});
