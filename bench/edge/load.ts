import { createServer } from 'node:net';
import { Agent, request } from 'undici';

/** Hammer `url` with `concurrency` keep-alive clients for `durationMs`; bounded, stops by itself. */
export async function loadTest(
  url: string,
  concurrency: number,
  durationMs: number,
): Promise<{ requests: number; rps: number }> {
  const agent = new Agent({ connections: concurrency, pipelining: 1 });
  const deadline = Date.now() + durationMs;
  let requests = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const res = await request(url, { dispatcher: agent });
        if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
        await res.body.dump();
        requests++;
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  await agent.close();
  return { requests, rps: requests / elapsed };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function waitForUrl(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not come up`);
}
