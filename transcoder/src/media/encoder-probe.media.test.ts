import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { chooseEncoder, EncoderUnavailableError, probeEncoder } from './encoder-probe.js';

// This machine (and CI) has Debian's FFmpeg, which lists h264_nvenc, h264_qsv and h264_vaapi, but
// no GPU, CUDA driver or VA display: every hardware test encode fails for real here.
function recordingLogger() {
  const lines: Array<{ level: number; msg: string; encoder?: string; tried?: Record<string, string> }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('the start-up encoder test (real FFmpeg, no GPU here)', () => {
  it('x264 encodes its test frame; nvenc says why it cannot', async () => {
    expect(await probeEncoder('ffmpeg', { kind: 'x264', preset: 'veryfast' })).toEqual({ ok: true });
    const nvenc = await probeEncoder('ffmpeg', { kind: 'nvenc' });
    expect(nvenc.ok).toBe(false);
    if (!nvenc.ok) expect(nvenc.reason).toMatch(/libcuda|nvenc|CUDA|Unknown encoder/i);
    const vaapi = await probeEncoder('ffmpeg', { kind: 'vaapi', device: '/dev/dri/renderD128' });
    expect(vaapi.ok).toBe(false);
  });

  it('auto falls back to x264 with one log line naming each failed encoder', async () => {
    const { logger, lines } = recordingLogger();
    const encoder = await chooseEncoder('auto', { ffmpegPath: 'ffmpeg', preset: 'faster', logger });
    expect(encoder).toEqual({ kind: 'x264', preset: 'faster' });
    const fallback = lines.filter((line) => line.msg.includes('encoding with x264'));
    expect(fallback).toHaveLength(1);
    expect(fallback[0]?.level).toBe(40);
    expect(Object.keys(fallback[0]?.tried ?? {})).toEqual(['nvenc', 'qsv', 'vaapi']);
    expect(Object.values(fallback[0]?.tried ?? {}).every((reason) => reason.length > 0)).toBe(true);
  });

  it('a forced hardware encoder that fails its test refuses to start, naming the cause', async () => {
    const { logger } = recordingLogger();
    const forced = chooseEncoder('nvenc', { ffmpegPath: 'ffmpeg', preset: 'veryfast', logger });
    await expect(forced).rejects.toBeInstanceOf(EncoderUnavailableError);
    await expect(forced).rejects.toThrow(/TRANSCODER_ENCODER=nvenc, but a test encode with nvenc failed: .+/);
  });

  it('x264 is taken as it is, without a test', async () => {
    const { logger, lines } = recordingLogger();
    const encoder = await chooseEncoder('x264', {
      ffmpegPath: '/nonexistent/ffmpeg',
      preset: 'slow',
      logger,
    });
    expect(encoder).toEqual({ kind: 'x264', preset: 'slow' });
    expect(lines).toEqual([]);
  });
});
