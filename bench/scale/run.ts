/**
 * Scale-out of the transcoding queue: 1, 2 and 4 transcoder processes pulling from one origin's
 * queue, each FFmpeg on one thread (ffmpeg-threads1.sh), so the figure measures the queue rather
 * than the machine's cores. Per run: jobs per minute (from the first FFmpeg to the last job done),
 * CPU-seconds per job (transcoders + FFmpeg, the workers' own start-up included)
 * and queue overhead per job (worker time spent outside FFmpeg: claiming, fetching the source,
 * uploading outputs, publishing). Ratios are against the 1-transcoder run of the same invocation.
 *
 *   npx tsx bench/scale/run.ts [--jobs 6] [--seconds 8]
 * Needs PostgreSQL (DATABASE_URL_TEST) and FFmpeg. Stops by itself; each run is bounded (5 min).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { leases } from '../../origin/test/harness.js';
import {
  generateClip,
  killGroup,
  spawnTranscoder,
  startOriginServer,
  waitFor,
} from '../../test/support/stack.js';
import { uploadWhole } from '../../test/support/tus.js';
import { childCpuSeconds } from '../transcode/measure.js';

const { values } = parseArgs({
  options: { jobs: { type: 'string', default: '6' }, seconds: { type: 'string', default: '8' } },
});
const JOBS = Number(values.jobs);
const WORKERS = [1, 2, 4];
const FFMPEG = path.join(import.meta.dirname, 'ffmpeg-threads1.sh');

const stack = await startOriginServer('postgres', {
  jobs: { leaseSeconds: leases(30), retryBaseSeconds: 0, maxAttempts: 2 },
});
const dir = await mkdtemp(path.join(tmpdir(), 'vidra-bench-scale-'));
const clip = readFileSync(
  await generateClip(path.join(dir, 'clip.mp4'), {
    width: 320,
    height: 180,
    seconds: Number(values.seconds),
  }),
);
const user = await stack.signUp('scale');
const channelId = (
  await stack.call('POST', '/api/v1/channels', {
    token: user.token,
    body: { handle: 'scale', displayName: 'Scale' },
  })
).body.id as string;

interface Result {
  workers: number;
  jobsPerMinute: number;
  cpuPerJob: number;
  overheadPerJob: number;
  ffmpegPerJob: number;
}

async function runWith(workers: number): Promise<Result> {
  // The queue is filled first, so that the run measures draining it, not the uploads.
  const ids: string[] = [];
  for (let i = 0; i < JOBS; i++) {
    const created = await stack.call('POST', '/api/v1/videos', {
      token: user.token,
      body: { channelId, title: `w${workers}-${i}` },
    });
    const videoId = created.body.video.id as string;
    await uploadWhole(clip, { endpoint: `${stack.url}/api/v1/uploads`, token: user.token, videoId });
    ids.push(videoId);
  }
  const log = path.join(dir, `ffmpeg-${workers}.log`);
  writeFileSync(log, '');
  const cpuBefore = childCpuSeconds();
  const transcoders = Array.from({ length: workers }, (_, i) =>
    spawnTranscoder(stack.url, `scale-${workers}-${i}`, {
      FFMPEG_PATH: FFMPEG,
      BENCH_FFMPEG_LOG: log,
      POLL_SECONDS: '1',
      LOG_LEVEL: 'warn',
    }),
  );
  let finished = 0;
  try {
    for (const id of ids)
      await waitFor(
        async () => {
          const v = (await stack.call('GET', `/api/v1/videos/${id}`, { token: user.token })).body;
          if (v.state === 'failed') throw new Error(`job of ${id} failed`);
          return v.state === 'ready' && v.progress === 100 ? true : undefined;
        },
        300_000,
        () => transcoders.map((t) => t.output()).join('\n'),
      );
    finished = Date.now();
  } finally {
    // SIGTERM, waited for: their CPU (and their FFmpegs') is then counted in our children's times.
    for (const t of transcoders) await killGroup(t.child, 'SIGTERM');
  }
  const cpu = childCpuSeconds() - cpuBefore;
  const runs = readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ').map(Number) as [number, number]);
  const ffmpegBusy = runs.reduce((sum, [a, b]) => sum + (b - a), 0);
  // The clock starts at the first FFmpeg: worker process start-up is not queue throughput.
  const wall = finished / 1000 - Math.min(...runs.map(([a]) => a));
  for (const t of transcoders) rmSync(t.workDir, { recursive: true, force: true });
  return {
    workers,
    jobsPerMinute: (JOBS / wall) * 60,
    cpuPerJob: cpu / JOBS,
    ffmpegPerJob: ffmpegBusy / JOBS,
    overheadPerJob: Math.max(0, workers * wall - ffmpegBusy) / JOBS,
  };
}

try {
  const results: Result[] = [];
  for (const workers of WORKERS) results.push(await runWith(workers));
  const base = results[0] as Result;
  console.log(
    `bench/scale: ${JOBS} jobs per run (${values.seconds} s 640x360 clip, full ladder), FFmpeg -threads 1, ` +
      `${availableParallelism()} cores shared with other work`,
  );
  for (const r of results)
    console.log(
      `transcoders=${r.workers}: ${r.jobsPerMinute.toFixed(1)} jobs/min (x${(r.jobsPerMinute / base.jobsPerMinute).toFixed(2)} ` +
        `vs 1; ideal x${Math.min(r.workers, availableParallelism())}), ${r.cpuPerJob.toFixed(2)} CPU-s/job, ` +
        `FFmpeg ${r.ffmpegPerJob.toFixed(2)} s/job, queue overhead ${r.overheadPerJob.toFixed(2)} s/job ` +
        `(${((100 * r.overheadPerJob) / (r.overheadPerJob + r.ffmpegPerJob)).toFixed(0)}% of worker time)`,
    );
} finally {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
}
