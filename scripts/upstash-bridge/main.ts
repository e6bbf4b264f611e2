import { z } from 'zod';
import { parseEnvOrThrow } from '../../protocol/env.js';
import { startUpstashBridge } from './server.js';

/**
 * CLI for operators who want the Upstash REST bridge on its own, outside `npm start`:
 *   UPSTASH_BRIDGE_TOKEN=secret npx tsx scripts/upstash-bridge/main.ts
 * Point the edge at the printed URL (UPSTASH_REDIS_REST_URL) with the same token.
 */
const BridgeEnvSchema = z.object({
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  UPSTASH_BRIDGE_TOKEN: z.string().min(1, 'UPSTASH_BRIDGE_TOKEN is required'),
  UPSTASH_BRIDGE_HOST: z.string().min(1).default('127.0.0.1'),
  UPSTASH_BRIDGE_PORT: z.coerce.number().int().min(0).max(65535).default(8079),
});

async function main(): Promise<void> {
  const env = parseEnvOrThrow(BridgeEnvSchema, process.env);
  const bridge = await startUpstashBridge({
    redisUrl: env.REDIS_URL,
    token: env.UPSTASH_BRIDGE_TOKEN,
    host: env.UPSTASH_BRIDGE_HOST,
    port: env.UPSTASH_BRIDGE_PORT,
  });
  // The URL alone on stdout, so scripts can capture it; the rest goes to stderr.
  process.stdout.write(`${bridge.url}\n`);
  process.stderr.write(`upstash-bridge: forwarding to ${redactUrl(env.REDIS_URL)}\n`);
  const stop = () => {
    bridge.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`upstash-bridge: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Hide a password in a Redis URL before printing it. */
function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

main().catch((error: unknown) => {
  process.stderr.write(`upstash-bridge: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
