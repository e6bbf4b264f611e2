import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { startUpstashBridge, type UpstashBridge } from '../../scripts/upstash-bridge/server.js';

/** The real Redis the bridge tests run against; REDIS_URL overrides it (e.g. in CI). */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A direct (non-bridge) Redis connection, to check what the bridge really stored. */
export type DirectRedis = ReturnType<typeof createClient>;

/** One bridge plus a direct Redis connection and a key prefix unique to this run. */
export interface BridgeFixture {
  bridge: UpstashBridge;
  token: string;
  direct: DirectRedis;
  /** A fresh prefix per call, so tests never see each other's keys. */
  prefix(): string;
  /** Delete every key created under the prefixes handed out so far. */
  cleanup(): Promise<void>;
  stop(): Promise<void>;
}

/** Start a bridge with a random token on a random port, plus a direct client for assertions. */
export async function startFixture(maxBodyBytes?: number): Promise<BridgeFixture> {
  const token = randomUUID();
  const bridge = await startUpstashBridge({
    redisUrl: TEST_REDIS_URL,
    token,
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
  });
  const direct = createClient({ url: TEST_REDIS_URL });
  await direct.connect();
  const handedOut: string[] = [];
  const cleanup = async () => {
    for (const prefix of handedOut.splice(0)) {
      for await (const keys of direct.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
        if (keys.length > 0) await direct.del(keys);
      }
    }
  };
  return {
    bridge,
    token,
    direct,
    prefix: () => {
      const prefix = `vidra-test:upstash-bridge:${randomUUID()}:`;
      handedOut.push(prefix);
      return prefix;
    },
    cleanup,
    stop: async () => {
      await cleanup();
      await direct.close();
      await bridge.close();
    },
  };
}

/** POST raw JSON to the bridge, bypassing @upstash/redis, to pin the wire format itself. */
export async function postRaw(
  fixture: BridgeFixture,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${fixture.bridge.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fixture.token}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

/** Base64 of a UTF-8 string, as the bridge encodes results under `Upstash-Encoding: base64`. */
export const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
