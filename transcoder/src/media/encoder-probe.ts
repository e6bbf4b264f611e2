import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import {
  type EncoderChoice,
  encoderFor,
  encoderProbeArgs,
  firstComplaint,
  HARDWARE_ENCODERS,
  type HardwareEncoderName,
  type VideoEncoder,
} from './encoders.js';

const run = promisify(execFile);

/** A GPU that takes longer than this to encode one frame is as good as absent. */
const PROBE_TIMEOUT_MS = 15_000;

export type EncoderProbe = { ok: true } | { ok: false; reason: string };

/** Encode one generated frame with `encoder`; the reason is FFmpeg's own when it cannot. */
export async function probeEncoder(ffmpegPath: string, encoder: VideoEncoder): Promise<EncoderProbe> {
  try {
    await run(ffmpegPath, encoderProbeArgs(encoder), { timeout: PROBE_TIMEOUT_MS });
    return { ok: true };
  } catch (error) {
    const failed = error as NodeJS.ErrnoException & { stderr?: string; killed?: boolean };
    if (failed.killed) return { ok: false, reason: `no answer within ${PROBE_TIMEOUT_MS / 1000} s` };
    return { ok: false, reason: (firstComplaint(failed.stderr ?? '') ?? failed.message).slice(0, 300) };
  }
}

/** A forced hardware encoder that does not work here: the transcoder refuses to start. */
export class EncoderUnavailableError extends Error {
  override readonly name = 'EncoderUnavailableError';
}

export interface EncoderSelection {
  ffmpegPath: string;
  /** x264 preset, used when x264 is chosen or fallen back to. */
  preset: string;
  /** DRM render node for VA-API and Quick Sync. */
  device?: string | undefined;
  logger: Pick<Logger, 'info' | 'warn'>;
}

/**
 * Resolve `TRANSCODER_ENCODER` at start-up. `x264` is used as is. `auto` test-encodes one frame
 * with NVENC, Quick Sync and VA-API in turn and takes the first that works, else x264, saying so
 * in one log line. A named hardware encoder that fails its test stops start-up
 * (EncoderUnavailableError): the operator asked for that GPU, and a node quietly encoding on its
 * CPU would hide the fault.
 */
export async function chooseEncoder(choice: EncoderChoice, options: EncoderSelection): Promise<VideoEncoder> {
  const { ffmpegPath, logger } = options;
  const x264 = encoderFor('x264', options);
  if (choice === 'x264') return x264;
  if (choice !== 'auto') {
    const encoder = encoderFor(choice, options);
    const probe = await probeEncoder(ffmpegPath, encoder);
    if (!probe.ok)
      throw new EncoderUnavailableError(
        `TRANSCODER_ENCODER=${choice}, but a test encode with ${choice} failed: ${probe.reason}. ` +
          'Fix the driver or device, or set TRANSCODER_ENCODER=auto (falls back to x264) or x264.',
      );
    logger.info({ encoder: choice }, `encoding with ${choice}`);
    return encoder;
  }
  const tried: Partial<Record<HardwareEncoderName, string>> = {};
  for (const kind of HARDWARE_ENCODERS) {
    const encoder = encoderFor(kind, options);
    const probe = await probeEncoder(ffmpegPath, encoder);
    if (probe.ok) {
      logger.info({ encoder: kind, tried }, `hardware encoder found: encoding with ${kind}`);
      return encoder;
    }
    tried[kind] = probe.reason;
  }
  logger.warn({ encoder: 'x264', tried }, 'no hardware encoder works here; encoding with x264');
  return x264;
}
