/**
 * H.264 encoders the transcoder can drive: libx264 in software, and NVIDIA NVENC, VA-API and Intel
 * Quick Sync in hardware. Every function here is pure, so each encoder's arguments are tested
 * exactly without a GPU; `encoder-probe.ts` runs the one-frame test encode that decides which of
 * them this machine really has. Decoding, `fps`, `split` and `scale` stay in software for every
 * encoder (the same filter graph, so keyframes line up the same way); only the encode moves.
 */

/** What `TRANSCODER_ENCODER` may say: `auto` probes the hardware encoders, then falls back to x264. */
export const ENCODER_CHOICES = ['auto', 'x264', 'nvenc', 'vaapi', 'qsv'] as const;
export type EncoderChoice = (typeof ENCODER_CHOICES)[number];

/** The order `auto` probes in: NVENC first (the commonest server GPU), then Quick Sync, then VA-API. */
export const HARDWARE_ENCODERS = ['nvenc', 'qsv', 'vaapi'] as const;
export type HardwareEncoderName = (typeof HARDWARE_ENCODERS)[number];

/** The DRM render node VA-API and Quick Sync open when `TRANSCODER_HW_DEVICE` is unset. */
export const DEFAULT_HW_DEVICE = '/dev/dri/renderD128';

/** One concrete encoder, with what its arguments need. */
export type VideoEncoder =
  | { kind: 'x264'; preset: string }
  | { kind: 'nvenc' }
  | { kind: 'vaapi'; device: string }
  | { kind: 'qsv'; device: string };

/** FFmpeg's name for each encoder. */
export const ENCODER_CODECS: Record<VideoEncoder['kind'], string> = {
  x264: 'libx264',
  nvenc: 'h264_nvenc',
  vaapi: 'h264_vaapi',
  qsv: 'h264_qsv',
};

/** The encoder a name stands for; `device` matters to VA-API and Quick Sync only. */
export function encoderFor(
  kind: VideoEncoder['kind'],
  options: { preset: string; device?: string | undefined },
): VideoEncoder {
  const device = options.device ?? DEFAULT_HW_DEVICE;
  if (kind === 'x264') return { kind, preset: options.preset };
  if (kind === 'nvenc') return { kind };
  return { kind, device };
}

/**
 * Global options that open the encoder's device, placed before the input. NVENC opens CUDA by
 * itself; Quick Sync on Linux is derived from a VA-API device on the render node.
 */
export function encoderDeviceArgs(encoder: VideoEncoder): string[] {
  switch (encoder.kind) {
    case 'x264':
    case 'nvenc':
      return [];
    case 'vaapi':
      return ['-init_hw_device', `vaapi=hw:${encoder.device}`, '-filter_hw_device', 'hw'];
    case 'qsv':
      // biome-ignore format: an option and its value per line
      return [
        '-init_hw_device', `vaapi=va:${encoder.device}`,
        '-init_hw_device', 'qsv=hw@va',
        '-filter_hw_device', 'hw',
      ];
  }
}

/**
 * The end of each rendition's filter chain: the pixel format the encoder takes, uploaded to the
 * device for VA-API and Quick Sync (NVENC reads system-memory frames itself).
 */
export function encoderFrameFilter(encoder: VideoEncoder): string {
  switch (encoder.kind) {
    case 'x264':
    case 'nvenc':
      return 'format=yuv420p';
    case 'vaapi':
      return 'format=nv12,hwupload';
    case 'qsv':
      return 'format=nv12,hwupload=extra_hw_frames=64';
  }
}

/** What the VOD ladder's keyframe placement needs. */
export interface VodKeyframes {
  /** Frames per GOP: one segment, rounded up, so the encoder's own keyframe never fires first. */
  gop: number;
  segmentSeconds: number;
}

/**
 * Codec options shared by every rendition of a VOD ladder (the per-rendition bitrates and VBV
 * limits follow, the same for every encoder). Keyframes are forced at multiples of the segment
 * length and scene-cut keyframes are off, so segments start at the same instants in every rung.
 */
export function vodEncoderArgs(encoder: VideoEncoder, { gop, segmentSeconds }: VodKeyframes): string[] {
  const g = String(gop);
  const forced = ['-force_key_frames', `expr:gte(t,n_forced*${segmentSeconds})`];
  switch (encoder.kind) {
    case 'x264':
      // biome-ignore format: an option and its value per line
      return [
        '-c:v', 'libx264', '-preset', encoder.preset, '-profile:v', 'high',
        '-g', g, '-keyint_min', g, '-sc_threshold', '0', ...forced,
      ];
    case 'nvenc':
      // biome-ignore format: an option and its value per line
      return [
        '-c:v', 'h264_nvenc', '-preset', 'p4', '-tune', 'hq', '-profile:v', 'high', '-rc', 'vbr',
        '-g', g, '-no-scenecut', '1', '-forced-idr', '1', ...forced,
      ];
    case 'vaapi':
      // VA-API has no scene-cut detection; a forced key frame becomes an IDR frame.
      // biome-ignore format: an option and its value per line
      return ['-c:v', 'h264_vaapi', '-profile:v', 'high', '-rc_mode', 'VBR', '-g', g, ...forced];
    case 'qsv':
      // biome-ignore format: an option and its value per line
      return [
        '-c:v', 'h264_qsv', '-preset', 'veryfast', '-profile:v', 'high',
        '-g', g, '-forced_idr', '1', ...forced,
      ];
  }
}

/** One rendition of a live ladder, as its encoder sees it. */
export interface LiveEncode {
  /** Target bitrate in kbit/s; undefined re-encodes the source at constant quality. */
  kbps?: number | undefined;
  /** Target height of a scaled rung; undefined keeps the source's size. */
  height?: number | undefined;
}

/**
 * Video options of one live rendition: a 1 s GOP forced on the clock, no B-frames (low latency),
 * a bitrate or a constant quality, and the scale (then upload, for device encoders) last.
 */
export function liveEncoderArgs(encoder: VideoEncoder, { kbps, height }: LiveEncode): string[] {
  const forced = ['-force_key_frames', 'expr:gte(t,n_forced*1)'];
  const rate = kbps ? ['-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps}k`] : undefined;
  const scale = height === undefined ? [] : [`scale=-2:${height}`];
  const softwareScale = scale.length ? ['-vf', scale.join(',')] : [];
  const uploaded = (filter: string) => ['-vf', [...scale, filter].join(',')];
  switch (encoder.kind) {
    case 'x264':
      // biome-ignore format: an option and its value per line
      return [
        '-c:v', 'libx264', '-preset', encoder.preset, '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
        ...forced, '-sc_threshold', '0', ...(rate ?? ['-crf', '23']), ...softwareScale,
      ];
    case 'nvenc':
      // biome-ignore format: an option and its value per line
      return [
        '-c:v', 'h264_nvenc', '-preset', 'p1', '-tune', 'll', '-zerolatency', '1', '-bf', '0',
        '-pix_fmt', 'yuv420p', ...forced, '-no-scenecut', '1', '-forced-idr', '1',
        ...(rate ?? ['-rc', 'vbr', '-cq', '23']), ...softwareScale,
      ];
    case 'vaapi':
      // biome-ignore format: an option and its value per line
      return [
        '-c:v', 'h264_vaapi', '-bf', '0', ...forced,
        ...(rate ?? ['-rc_mode', 'CQP', '-qp', '23']), ...uploaded(encoderFrameFilter(encoder)),
      ];
    case 'qsv':
      // biome-ignore format: an option and its value per line
      return [
        '-c:v', 'h264_qsv', '-preset', 'veryfast', '-bf', '0', ...forced, '-forced_idr', '1',
        ...(rate ?? ['-global_quality', '23']), ...uploaded(encoderFrameFilter(encoder)),
      ];
  }
}

/**
 * The start-up test: encode one generated frame with the encoder and throw it away. It fails
 * when FFmpeg lacks the encoder, the driver or device is missing, or the GPU refuses the session.
 */
export function encoderProbeArgs(encoder: VideoEncoder): string[] {
  // biome-ignore format: an option and its value per line
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    ...encoderDeviceArgs(encoder),
    '-f', 'lavfi', '-i', 'color=c=black:s=256x144:r=25:d=1',
    '-frames:v', '1', '-vf', encoderFrameFilter(encoder),
    '-c:v', ENCODER_CODECS[encoder.kind], '-f', 'null', '-',
  ];
}

/**
 * FFmpeg's first error line names the cause ("Cannot load libcuda.so.1", "No VA display found for
 * device ..."); later lines only say that opening the encoder failed. The `[h264_nvenc @ 0x...]`
 * prefix is dropped.
 */
export function firstComplaint(stderr: string): string | undefined {
  const line = stderr.split('\n').find((text) => text.trim() !== '');
  return line?.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/, '').trim();
}
