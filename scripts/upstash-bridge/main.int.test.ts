import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../../test/support/upstash-bridge.js';
import { startUpstashBridge } from './server.js';

const ping = (url: string, token: string) =>
  fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '["PING"]' });

/** Start-up, shutdown and the operator CLI. */
describe('upstash bridge lifecycle', () => {
  it('lets an in-flight request finish on close, then refuses connections', async () => {
    const bridge = await startUpstashBridge({ redisUrl: TEST_REDIS_URL, token: 't' });
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await ping(bridge.url, 't')).status).toBe(200);
    // A script that holds Redis for ~150 ms, so close() lands while the request is in flight.
    const slow =
      'local t0 = redis.call("TIME") local s0 = t0[1] * 1e6 + t0[2] ' +
      'repeat local t = redis.call("TIME") until t[1] * 1e6 + t[2] - s0 > 150000 return "done"';
    const inFlight = fetch(bridge.url, {
      method: 'POST',
      headers: { authorization: 'Bearer t' },
      body: JSON.stringify(['EVAL', slow, 0]),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = bridge.close();
    expect(bridge.close()).toBe(closing);
    const res = await inFlight;
    expect(await res.json()).toEqual({ result: 'done' });
    await closing;
    await expect(ping(bridge.url, 't')).rejects.toThrow();
  });

  it('refuses to start without Redis or without a token', async () => {
    await expect(startUpstashBridge({ redisUrl: 'redis://127.0.0.1:1', token: 't' })).rejects.toThrow(
      /cannot reach Redis/,
    );
    await expect(startUpstashBridge({ redisUrl: TEST_REDIS_URL, token: '' })).rejects.toThrow(/token/);
  });

  it('runs as a CLI that prints its URL, stops cleanly on SIGTERM, and demands a token', async () => {
    const env = {
      ...process.env,
      REDIS_URL: TEST_REDIS_URL,
      UPSTASH_BRIDGE_TOKEN: 'cli',
      UPSTASH_BRIDGE_PORT: '0',
    };
    const { UPSTASH_BRIDGE_TOKEN: _omitted, ...noToken } = env;
    // Both start at once: most of the time here is tsx compiling the entry point.
    const serving = runCli(env);
    const failing = runCli(noToken);
    try {
      const [line] = (await once(serving.child.stdout, 'data')) as [Buffer];
      const url = line.toString().trim();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await ping(url, 'cli')).json()).toEqual({ result: 'PONG' });
      serving.child.kill('SIGTERM');
      expect(await serving.exit).toEqual([0, null]);
      expect(await failing.exit).toEqual([1, null]);
      expect(failing.stderr()).toContain('UPSTASH_BRIDGE_TOKEN');
    } finally {
      serving.child.kill('SIGKILL');
      failing.child.kill('SIGKILL');
    }
  });
});

/** Run main.ts as an operator would, collecting stderr. */
function runCli(env: NodeJS.ProcessEnv) {
  const main = path.join(import.meta.dirname, 'main.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { child, exit: once(child, 'exit'), stderr: () => stderr };
}
