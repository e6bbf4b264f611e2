import { defineConfig } from 'vitest/config';

/**
 * Test projects by kind, named by file suffix so a file's path says what it needs:
 * - unit         `*.test.ts`        pure functions, no I/O (no processes, sockets, files or services);
 * - media        `*.media.test.ts`  the real FFmpeg on tiny generated clips;
 * - integration  `*.int.test.ts`    PostgreSQL, PGlite, Redis, s3rver, child processes, CLI tools;
 * - edge         `edge/src/**`      real workerd (@cloudflare/vitest-plugin), against a real origin;
 * - e2e          `*.e2e.test.ts`    whole platforms: processes end to end and Chromium;
 * - timed        (listed below)     files asserting promised times, run alone after the rest.
 * `npm test` runs them all; `npm run test:<kind>` runs one (`test:integration` includes edge).
 */
const ignored = ['**/node_modules/**', 'data/**', '.wrangler/**', '.node/**', 'edge/**'];
/**
 * Files that assert a time users are promised (first play within 10 s, live latency, WebRTC first
 * frame, federation within 10 s): all e2e. Sharing 2 cores with two other files made them fail on
 * time alone (CI saw progressive publish at 16 s), so they run last, one at a time: project
 * `timed` (`npm run test:e2e` runs it too). The bounds themselves stay as the issues wrote them.
 */
const timed = [
  'test/pipeline/progressive.e2e.test.ts',
  'test/live/playback.e2e.test.ts',
  'test/live/replay.e2e.test.ts',
  'test/live/resume.e2e.test.ts',
  'test/webrtc/whip-whep.e2e.test.ts',
  'test/chat/chat.e2e.test.ts',
  'test/federation/two-instances.e2e.test.ts',
];
// .ci/run sets VITEST_JSON_REPORT to list the slowest test files after the run.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    // Most files wait on processes, sockets and real-time pushes rather than compute, so three run
    // side by side even on 2 cores (vitest's default there is 1): 842 s -> about 310 s for npm test.
    maxWorkers: 3,
    testTimeout: 30_000,
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...ignored, '**/*.media.test.ts', '**/*.int.test.ts', '**/*.e2e.test.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'media', include: ['**/*.media.test.ts'], exclude: ignored, pool: 'forks' },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: [...ignored, ...timed],
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['**/*.e2e.test.ts'], exclude: [...ignored, ...timed], pool: 'forks' },
      },
      {
        extends: true,
        test: {
          name: 'timed',
          include: timed,
          pool: 'forks',
          fileParallelism: false,
          // After every other project has finished.
          sequence: { groupOrder: 1 },
        },
      },
      // Edge tests run inside real workerd through @cloudflare/vitest-plugin.
      'edge/vitest.config.ts',
    ],
  },
});
