/**
 * Transcoder worker: registers with the origin, then pulls transcode jobs and runs FFmpeg.
 * SIGTERM/SIGINT hand running jobs back to the queue before exiting.
 */
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { nodeVersionProblem } from '../../protocol/runtime.js';
import { parseTranscoderEnv, type TranscoderEnv } from './env.js';
import { locateFfmpeg } from './ffmpeg.js';
import { chooseEncoder } from './media/encoder-probe.js';
import { OriginClient } from './origin-client.js';
import { Runner } from './runner.js';

export async function startTranscoder(env: TranscoderEnv): Promise<Runner> {
  const logger = pino({ level: env.LOG_LEVEL, base: { service: 'transcoder', name: env.TRANSCODER_NAME } });
  const binaries = await locateFfmpeg({ ffmpeg: env.FFMPEG_PATH, ffprobe: env.FFPROBE_PATH });
  for (const { path: binary, probe } of [binaries.ffmpeg, binaries.ffprobe]) {
    if (!probe.ok)
      throw new Error(`${probe.reason}; install FFmpeg (apt-get install ffmpeg) or set FFMPEG_PATH`);
    logger.info({ binary, version: probe.version }, 'found');
  }
  // Before registering: a forced GPU encoder that does not work stops the process here.
  const encoder = await chooseEncoder(env.TRANSCODER_ENCODER, {
    ffmpegPath: binaries.ffmpeg.path,
    preset: env.X264_PRESET,
    device: env.TRANSCODER_HW_DEVICE,
    logger,
  });
  const workDir = path.resolve(env.WORK_DIR ?? path.join(tmpdir(), 'vidra-transcoder'));
  await mkdir(workDir, { recursive: true });
  const client = new OriginClient(env.ORIGIN_URL);
  // The origin may still be starting (compose, k8s): keep trying to register.
  for (let attempt = 1; ; attempt++) {
    try {
      await client.register(env.RUNNER_REGISTRATION_TOKEN, env.TRANSCODER_NAME);
      break;
    } catch (error) {
      if (attempt >= 30) throw error;
      logger.warn({ err: error, attempt }, 'could not register with the origin; retrying');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  const runner = new Runner({
    client,
    logger,
    workDir,
    concurrency: env.TRANSCODER_CONCURRENCY,
    ffmpegPath: binaries.ffmpeg.path,
    ffprobePath: binaries.ffprobe.path,
    preset: env.X264_PRESET,
    // x264 keeps reading `preset`, which tests lower; only a hardware encoder is handed on.
    ...(encoder.kind === 'x264' ? {} : { encoder }),
    pollSeconds: env.POLL_SECONDS,
  });
  await runner.reclaimScratch();
  runner.start();
  logger.info(
    { origin: env.ORIGIN_URL, concurrency: env.TRANSCODER_CONCURRENCY, encoder: encoder.kind },
    'transcoder ready',
  );
  return runner;
}

const isEntryPoint =
  process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href;
if (isEntryPoint) {
  const problem = nodeVersionProblem(process.versions.node, 'transcoder');
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  let env: TranscoderEnv;
  try {
    env = parseTranscoderEnv();
  } catch (error) {
    // A bad environment is the operator's to fix: print what is wrong, not a stack trace.
    console.error((error as Error).message);
    process.exit(1);
  }
  const runner = await startTranscoder(env).catch((error: unknown) => {
    // No FFmpeg, or a forced GPU encoder that failed its test: say why, without a stack trace.
    console.error((error as Error).message);
    process.exit(1);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void runner.stop().then(() => process.exit(0)));
  }
}
