import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Paths are anchored on this file, so the config behaves the same whether it is run directly
// (`npx vitest run --config edge/vitest.config.ts`) or pulled in as a project of the root config.
const here = import.meta.dirname;

/**
 * Vitest project for the edge worker. The test files run inside real workerd (via
 * @cloudflare/vitest-plugin) with the compatibility settings from wrangler.toml, while
 * `test/origin-server.ts` runs in Node as a globalSetup and plays the origin over real HTTP.
 */
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: `${here}/../wrangler.toml` },
    }),
  ],
  // Keep vitest's cache with the root one instead of growing an edge/node_modules.
  cacheDir: `${here}/../node_modules/.vite/edge`,
  test: {
    name: 'edge',
    root: here,
    include: ['src/**/*.test.ts'],
    globalSetup: ['test/origin-server.ts', 'test/real-origin.ts', 'test/web-origin.ts'],
    // workerd starts per run; the upload and streaming tests also wait on real sockets.
    testTimeout: 20_000,
  },
});
