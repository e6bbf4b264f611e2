import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['**/*.test.ts'],
          exclude: ['**/node_modules/**', 'data/**', '.wrangler/**', 'edge/**'],
          pool: 'forks',
        },
      },
      // Edge tests run inside real workerd through @cloudflare/vitest-plugin.
      'edge/vitest.config.ts',
    ],
  },
});
