import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AcceptedJobEnvelope, FailInput, JobKind } from '../../protocol/runner.js';
import { JobRejectedError } from './jobs/index.js';
import { LeaseLostError, type OriginClient } from './origin-client.js';
import { heartbeatIntervalMs, Runner } from './runner.js';

const JOB_ID = '00000000-0000-4000-8000-000000000001';

/** An origin that offers one job once, then nothing; it records what the runner tells it. */
function fakeOrigin(job: AcceptedJobEnvelope) {
  const calls = { requested: [] as JobKind[][], failed: [] as FailInput[], released: 0, heartbeats: 0 };
  let offered = false;
  const client = {
    async requestJobs(kinds: JobKind[], _wait: number, signal?: AbortSignal) {
      calls.requested.push(kinds);
      if (!offered) {
        offered = true;
        return [{ id: job.id, kind: job.kind }];
      }
      await new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
      return [];
    },
    accept: async () => job,
    progress: async () => {
      calls.heartbeats++;
      return true;
    },
    fail: async (_job: { id: string }, failure: FailInput) => {
      calls.failed.push(failure);
    },
    release: async () => {
      calls.released++;
    },
  };
  return { client: client as unknown as OriginClient, calls };
}

describe('runner', () => {
  let workDir: string;
  beforeEach(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'vidra-runner-test-'));
  });
  afterEach(() => rm(workDir, { recursive: true, force: true }));

  const runnerFor = (client: OriginClient, handlers?: ConstructorParameters<typeof Runner>[0]['handlers']) =>
    new Runner({
      client,
      logger: pino({ level: 'silent' }),
      workDir,
      concurrency: 1,
      ffmpegPath: 'ffmpeg',
      ffprobePath: 'ffprobe',
      ...(handlers ? { handlers } : {}),
    });

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it('asks only for the kinds it has handlers for, and fails a job of any other kind without retry', async () => {
    const { client, calls } = fakeOrigin({ id: JOB_ID, kind: 'deliver', attempt: 1, leaseSeconds: 30 });
    const runner = runnerFor(client);
    runner.start();
    await until(() => calls.failed.length > 0);
    await runner.stop();
    expect(calls.requested[0]).toEqual(['transcode', 'live']);
    expect(calls.failed).toEqual([
      { reason: 'This runner cannot run jobs of kind "deliver"', retryable: false },
    ]);
    expect(await readdir(workDir)).toEqual([]);
  });

  it('fails a kind it has never heard of the same way', async () => {
    const { client, calls } = fakeOrigin({ id: JOB_ID, kind: 'teleport', attempt: 1, leaseSeconds: 30 });
    await runnerFor(client).run({ id: JOB_ID, kind: 'teleport', attempt: 1, leaseSeconds: 30 });
    expect(calls.failed).toEqual([
      { reason: 'This runner cannot run jobs of kind "teleport"', retryable: false },
    ]);
  });

  it("runs the kind's handler, heartbeats at a third of the lease, and reports rejections as final", async () => {
    const job = { id: JOB_ID, kind: 'cleanup', attempt: 1, leaseSeconds: 1, videoId: JOB_ID };
    const { client, calls } = fakeOrigin(job);
    const runner = runnerFor(client, {
      cleanup: async (ctx) => {
        expect(ctx.job.videoId).toBe(JOB_ID);
        await until(() => calls.heartbeats >= 2);
        throw new JobRejectedError('Nothing to clean up');
      },
    });
    await runner.run(job);
    expect(heartbeatIntervalMs(1)).toBeCloseTo(333, 0);
    expect(calls.heartbeats).toBeGreaterThanOrEqual(2);
    expect(calls.failed).toEqual([{ reason: 'Nothing to clean up', retryable: false }]);
  });

  it('reports any other error as retryable', async () => {
    const job = { id: JOB_ID, kind: 'cleanup', attempt: 1, leaseSeconds: 30, videoId: JOB_ID };
    const { client, calls } = fakeOrigin(job);
    await runnerFor(client, {
      cleanup: async () => {
        throw new Error('storage unreachable');
      },
    }).run(job);
    expect(calls.failed).toEqual([{ reason: 'Processing failed: storage unreachable', retryable: true }]);
  });

  it('stops as on a lost lease when the origin refuses an upload, and reports no failure', async () => {
    // CI saw this race: a delete lands between heartbeats, and the next upload is what hears of it.
    const job = { id: JOB_ID, kind: 'cleanup', attempt: 1, leaseSeconds: 30, videoId: JOB_ID };
    const { client, calls } = fakeOrigin(job);
    let aborted: unknown;
    await runnerFor(client, {
      cleanup: async (ctx) => {
        ctx.signal.addEventListener('abort', () => {
          aborted = ctx.signal.reason;
        });
        throw new LeaseLostError(409, 'PUT x: 409 This runner does not hold the job');
      },
    }).run(job);
    expect(calls.failed).toEqual([]);
    expect(calls.released).toBe(0);
    expect(String(aborted)).toContain('lease-lost');
    expect(await readdir(workDir)).toEqual([]);
  });

  it('refuses to start without a single handler', () => {
    expect(() =>
      runnerFor(fakeOrigin({ id: JOB_ID, kind: 'x', attempt: 1, leaseSeconds: 1 }).client, {}),
    ).toThrow(/at least one kind/);
  });
});
