import { describe, expect, it } from 'vitest';
import { cannotRun, dispatch, handledKinds, JOB_HANDLERS, type JobHandlers } from './index.js';

const JOB_ID = '00000000-0000-4000-8000-000000000001';
const VIDEO_ID = '00000000-0000-4000-8000-000000000002';
const transcodeJob = {
  id: JOB_ID,
  kind: 'transcode',
  attempt: 1,
  leaseSeconds: 15,
  videoId: VIDEO_ID,
  sourceUrl: `/api/v1/runners/jobs/${JOB_ID}/source`,
  filesUrl: `/api/v1/runners/jobs/${JOB_ID}/files/`,
};

describe('job dispatch table', () => {
  it('makes a transcoder ask for transcode and live jobs and nothing else', () => {
    expect(handledKinds(JOB_HANDLERS)).toEqual(['transcode', 'live']);
    expect(handledKinds({ deliver: async () => {}, transcode: async () => {} })).toEqual([
      'transcode',
      'deliver',
    ]);
  });

  it('binds a job to the handler of its kind, with the fields of that kind', async () => {
    const seen: unknown[] = [];
    const handlers: JobHandlers = {
      transcode: async (ctx) => {
        seen.push(ctx.job.sourceUrl);
      },
    };
    const dispatched = dispatch(handlers, transcodeJob);
    if (!('run' in dispatched)) throw new Error(dispatched.rejected);
    expect(dispatched.job).toEqual(transcodeJob);
    await dispatched.run({} as never);
    expect(seen).toEqual([transcodeJob.sourceUrl]);
  });

  it('rejects a kind the runner has no handler for, and one no one has heard of', () => {
    expect(dispatch(JOB_HANDLERS, { ...transcodeJob, kind: 'deliver' })).toEqual({
      rejected: 'This runner cannot run jobs of kind "deliver"',
    });
    expect(dispatch(JOB_HANDLERS, { ...transcodeJob, kind: 'teleport' })).toEqual({
      rejected: cannotRun('teleport'),
    });
    expect(cannotRun('teleport')).toBe('This runner cannot run jobs of kind "teleport"');
  });

  it('rejects a job of a known kind that lacks the fields of its kind', () => {
    const { sourceUrl: _, ...withoutSource } = transcodeJob;
    expect(dispatch(JOB_HANDLERS, withoutSource)).toEqual({
      rejected: 'The origin sent a transcode job this runner cannot read',
    });
  });
});
