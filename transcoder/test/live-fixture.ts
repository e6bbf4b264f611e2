import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parseIngestEnv } from '../../ingest/src/env.js';
import { type RunningIngest, startIngest } from '../../ingest/src/main.js';
import { OriginDouble } from '../../ingest/test/origin-double.js';
import type { LiveJobPayload } from '../../protocol/live.js';
import type { AcceptedJobOf } from '../../protocol/runner.js';
import { runLiveJob } from '../src/jobs/live.js';
import { OriginClient } from '../src/origin-client.js';
import { LiveRunnerDouble } from './live-runner-double.js';

const TOKEN = 'test-internal-token';

/** Waits for `check`, polling; returns when it held. */
export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return Date.now();
}

/**
 * A live job on a real RTMP source: the real ingest (with the double of the origin's internal
 * ingest endpoints), an encoder pushing a generated 320x180 stream with a 1 s GOP, and the job
 * pushing to a double of the runner live endpoints. The job starts before the encoder publishes,
 * so the pull races the publish and is retried.
 */
export async function startLiveFixture(options: {
  ladder: LiveJobPayload['ladder'];
  seconds: number;
  preset?: string;
}) {
  const jobId = randomUUID();
  const ingestOrigin = new OriginDouble(TOKEN);
  const runner = new LiveRunnerDouble(jobId);
  const logs: { msg: string; restarts?: number }[] = [];
  const work = new AbortController();
  const dir = await mkdtemp(join(tmpdir(), 'vidra-live-job-'));
  await ingestOrigin.start();
  await runner.start();
  const ingest: RunningIngest = await startIngest(
    parseIngestEnv({
      ORIGIN_URL: ingestOrigin.url,
      INTERNAL_API_TOKEN: TOKEN,
      INGEST_RTMP_PORT: '0',
      // SRT has its own suite (test/live/srt.e2e.test.ts); off here, so no UDP port is taken.
      INGEST_SRT: 'off',
      // WHIP/WHEP signalling would bind 8889: only the WebRTC suite turns it on (on port 0).
      INGEST_WEBRTC: 'off',
      INGEST_NODE_NAME: 'ingest-test',
    }),
    pino({ level: 'silent' }),
  );
  const { streamName } = ingestOrigin.addChannel({ key: 'live_job_key' });
  const accepted: AcceptedJobOf<'live'> = {
    id: jobId,
    kind: 'live',
    attempt: 1,
    leaseSeconds: 3,
    videoId: randomUUID(),
    filesUrl: `/api/v1/runners/jobs/${jobId}/files/`,
    sessionId: randomUUID(),
    sourceUrl: `rtmp://127.0.0.1:${ingest.rtmpPort}/live/${streamName}`,
    ladder: options.ladder,
  };
  const job = runLiveJob({
    job: accepted,
    client: new OriginClient(runner.url),
    log: pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) }),
    dir,
    signal: work.signal,
    reportProgress: () => {},
    media: {
      ffmpegPath: 'ffmpeg',
      ffprobePath: 'ffprobe',
      ...(options.preset ? { preset: options.preset } : {}),
    },
  });
  job.catch(() => {});
  // biome-ignore format: an option and its value per line
  const encoder: ChildProcess = spawn('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-re',
    '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=30', '-f', 'lavfi', '-i', 'sine',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '30', '-c:a', 'aac',
    '-t', String(options.seconds), '-f', 'flv', `rtmp://127.0.0.1:${ingest.rtmpPort}/live/live_job_key`,
  ], { stdio: 'ignore' });
  const encoderDone = new Promise<number | null>((resolve) => encoder.on('close', resolve));
  return {
    runner,
    logs,
    job,
    encoder,
    encoderDone,
    /** The origin cancels the job: its lease is gone. */
    loseLease: (why = 'lease-lost') => work.abort(new Error(why)),
    async close() {
      work.abort(new Error('test over'));
      encoder.kill('SIGKILL');
      await job.catch(() => {});
      await ingest.close();
      await runner.stop();
      await ingestOrigin.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
