/**
 * Transcoder entry point. STUB until the VOD pipeline lands: it checks that FFmpeg and ffprobe
 * run and that the origin answers, then waits. Pulling jobs over the runner protocol comes next.
 */
import pino from 'pino';
import { parseTranscoderEnv } from './env.js';
import { probeBinary } from './ffmpeg.js';

const env = parseTranscoderEnv();
const logger = pino({ level: env.LOG_LEVEL, base: { service: 'transcoder' } });

for (const binary of [env.FFMPEG_PATH, env.FFPROBE_PATH]) {
  const result = await probeBinary(binary);
  if (!result.ok) {
    logger.fatal({ binary }, result.reason);
    process.exit(1);
  }
  logger.info({ binary, version: result.version }, 'found');
}

const origin = await fetch(new URL('/readyz', env.ORIGIN_URL)).then(
  (res) => res.status,
  (error: unknown) => String(error),
);
logger.info(
  { origin: env.ORIGIN_URL, readyz: origin },
  'transcoder idle: the job runner is not implemented yet',
);

const keepAlive = setInterval(() => {}, 60_000);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    clearInterval(keepAlive);
    process.exit(0);
  });
}
