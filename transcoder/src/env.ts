import { z } from 'zod';
import { parseEnvOrThrow } from '../../protocol/env.js';
import { ENCODER_CHOICES } from './media/encoders.js';

/** Every variable the transcoder reads. The only module that reads `process.env`. */
export const TranscoderEnvSchema = z.object({
  ORIGIN_URL: z.string().url().default('http://127.0.0.1:8080'),
  RUNNER_REGISTRATION_TOKEN: z.string().min(1, "set it to the origin's RUNNER_REGISTRATION_TOKEN"),
  TRANSCODER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  FFMPEG_PATH: z.string().optional().describe('Defaults to the system ffmpeg, then the npm-shipped one'),
  FFPROBE_PATH: z.string().optional(),
  TRANSCODER_NAME: z.string().default(`transcoder-${process.pid}`),
  WORK_DIR: z.string().optional().describe('Scratch space for jobs; defaults to the OS temp folder'),
  X264_PRESET: z
    .enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow'])
    .default('veryfast'),
  TRANSCODER_ENCODER: z
    .enum(ENCODER_CHOICES)
    .default('auto')
    .describe(
      'auto: test-encode with nvenc, qsv, vaapi at start-up, else x264; a named GPU encoder must work',
    ),
  TRANSCODER_HW_DEVICE: z
    .string()
    .startsWith('/', 'an absolute device path, such as /dev/dri/renderD128')
    .optional()
    .describe('DRM render node for vaapi and qsv; /dev/dri/renderD128 by default'),
  POLL_SECONDS: z.coerce.number().min(1).max(30).default(20),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type TranscoderEnv = z.infer<typeof TranscoderEnvSchema>;

/** Parse the environment once at start-up; a bad value stops the process with every problem listed. */
export function parseTranscoderEnv(source: NodeJS.ProcessEnv = process.env): TranscoderEnv {
  return parseEnvOrThrow(TranscoderEnvSchema, source);
}
