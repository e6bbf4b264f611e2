import { describe, expect, it } from 'vitest';
import { liveFfmpegArgs } from '../live/live-args.js';
import {
  encoderDeviceArgs,
  encoderFor,
  encoderFrameFilter,
  encoderProbeArgs,
  firstComplaint,
  liveEncoderArgs,
  type VideoEncoder,
  vodEncoderArgs,
} from './encoders.js';
import { buildLadderArgs } from './ffmpeg-args.js';
import type { TranscodePlan } from './plan.js';

const x264: VideoEncoder = { kind: 'x264', preset: 'veryfast' };
const nvenc: VideoEncoder = { kind: 'nvenc' };
const vaapi: VideoEncoder = { kind: 'vaapi', device: '/dev/dri/renderD128' };
const qsv: VideoEncoder = { kind: 'qsv', device: '/dev/dri/renderD129' };
const KEYS = { gop: 120, segmentSeconds: 4 };
const FORCED_4S = ['-force_key_frames', 'expr:gte(t,n_forced*4)'];
const FORCED_1S = ['-force_key_frames', 'expr:gte(t,n_forced*1)'];

describe('encoderFor', () => {
  it('carries the preset to x264 and the render node to VA-API and Quick Sync only', () => {
    expect(encoderFor('x264', { preset: 'fast', device: '/dev/dri/renderD129' })).toEqual({
      kind: 'x264',
      preset: 'fast',
    });
    expect(encoderFor('nvenc', { preset: 'fast' })).toEqual({ kind: 'nvenc' });
    expect(encoderFor('vaapi', { preset: 'fast' })).toEqual(vaapi);
    expect(encoderFor('qsv', { preset: 'fast', device: '/dev/dri/renderD129' })).toEqual(qsv);
  });
});

describe('device and frame options', () => {
  it('opens a device only for VA-API and Quick Sync (derived from VA-API)', () => {
    expect(encoderDeviceArgs(x264)).toEqual([]);
    expect(encoderDeviceArgs(nvenc)).toEqual([]);
    expect(encoderDeviceArgs(vaapi)).toEqual([
      ...['-init_hw_device', 'vaapi=hw:/dev/dri/renderD128', '-filter_hw_device', 'hw'],
    ]);
    expect(encoderDeviceArgs(qsv)).toEqual([
      ...['-init_hw_device', 'vaapi=va:/dev/dri/renderD129', '-init_hw_device', 'qsv=hw@va'],
      ...['-filter_hw_device', 'hw'],
    ]);
  });

  it('ends each rendition in the pixel format the encoder takes, uploaded for device encoders', () => {
    expect([x264, nvenc, vaapi, qsv].map(encoderFrameFilter)).toEqual([
      'format=yuv420p',
      'format=yuv420p',
      'format=nv12,hwupload',
      'format=nv12,hwupload=extra_hw_frames=64',
    ]);
  });
});

describe('vodEncoderArgs (exact arguments)', () => {
  it('x264: preset, high profile, fixed GOP, no scene cuts, forced keyframes', () => {
    expect(vodEncoderArgs(x264, KEYS)).toEqual([
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high'],
      ...['-g', '120', '-keyint_min', '120', '-sc_threshold', '0', ...FORCED_4S],
    ]);
  });

  it('nvenc: p4/hq VBR, no scene cuts, forced keyframes as IDR', () => {
    expect(vodEncoderArgs(nvenc, KEYS)).toEqual([
      ...['-c:v', 'h264_nvenc', '-preset', 'p4', '-tune', 'hq', '-profile:v', 'high', '-rc', 'vbr'],
      ...['-g', '120', '-no-scenecut', '1', '-forced-idr', '1', ...FORCED_4S],
    ]);
  });

  it('vaapi: VBR with the same GOP and forced keyframes', () => {
    expect(vodEncoderArgs(vaapi, { gop: 100, segmentSeconds: 4 })).toEqual([
      ...['-c:v', 'h264_vaapi', '-profile:v', 'high', '-rc_mode', 'VBR', '-g', '100', ...FORCED_4S],
    ]);
  });

  it('qsv: veryfast, forced keyframes as IDR', () => {
    expect(vodEncoderArgs(qsv, { gop: 48, segmentSeconds: 2 })).toEqual([
      ...['-c:v', 'h264_qsv', '-preset', 'veryfast', '-profile:v', 'high'],
      ...['-g', '48', '-forced_idr', '1', '-force_key_frames', 'expr:gte(t,n_forced*2)'],
    ]);
  });
});

describe('liveEncoderArgs (exact arguments)', () => {
  it('x264: zerolatency, constant quality for the source, bitrate and scale for a rung', () => {
    const head = ['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p'];
    expect(liveEncoderArgs(x264, {})).toEqual([...head, ...FORCED_1S, '-sc_threshold', '0', '-crf', '23']);
    expect(liveEncoderArgs(x264, { kbps: 800, height: 360 })).toEqual([
      ...head,
      ...[...FORCED_1S, '-sc_threshold', '0', '-b:v', '800k', '-maxrate', '800k', '-bufsize', '800k'],
      ...['-vf', 'scale=-2:360'],
    ]);
  });

  it('nvenc: p1 low latency without B-frames; CQ 23 or the rung bitrate', () => {
    const head = ['-c:v', 'h264_nvenc', '-preset', 'p1', '-tune', 'll', '-zerolatency', '1', '-bf', '0'];
    const keys = ['-pix_fmt', 'yuv420p', ...FORCED_1S, '-no-scenecut', '1', '-forced-idr', '1'];
    expect(liveEncoderArgs(nvenc, {})).toEqual([...head, ...keys, '-rc', 'vbr', '-cq', '23']);
    expect(liveEncoderArgs(nvenc, { kbps: 2800, height: 720 })).toEqual([
      ...[...head, ...keys, '-b:v', '2800k', '-maxrate', '2800k', '-bufsize', '2800k'],
      ...['-vf', 'scale=-2:720'],
    ]);
  });

  it('vaapi and qsv: scale in software, then upload to the device', () => {
    expect(liveEncoderArgs(vaapi, {})).toEqual([
      ...['-c:v', 'h264_vaapi', '-bf', '0', ...FORCED_1S, '-rc_mode', 'CQP', '-qp', '23'],
      ...['-vf', 'format=nv12,hwupload'],
    ]);
    expect(liveEncoderArgs(qsv, { kbps: 800, height: 360 })).toEqual([
      ...['-c:v', 'h264_qsv', '-preset', 'veryfast', '-bf', '0', ...FORCED_1S, '-forced_idr', '1'],
      ...['-b:v', '800k', '-maxrate', '800k', '-bufsize', '800k'],
      ...['-vf', 'scale=-2:360,format=nv12,hwupload=extra_hw_frames=64'],
    ]);
  });
});

describe('encoderProbeArgs (exact arguments)', () => {
  it('encodes one generated frame and throws it away', () => {
    const tail = (codec: string) => ['-c:v', codec, '-f', 'null', '-'];
    const lavfi = ['-f', 'lavfi', '-i', 'color=c=black:s=256x144:r=25:d=1', '-frames:v', '1'];
    const quiet = ['-hide_banner', '-nostdin', '-loglevel', 'error'];
    expect(encoderProbeArgs(nvenc)).toEqual([
      ...[...quiet, ...lavfi, '-vf', 'format=yuv420p'],
      ...tail('h264_nvenc'),
    ]);
    expect(encoderProbeArgs(vaapi)).toEqual([
      ...[...quiet, '-init_hw_device', 'vaapi=hw:/dev/dri/renderD128', '-filter_hw_device', 'hw'],
      ...[...lavfi, '-vf', 'format=nv12,hwupload', ...tail('h264_vaapi')],
    ]);
    expect(encoderProbeArgs(x264).slice(-9)).toEqual([
      ...['-frames:v', '1', '-vf', 'format=yuv420p'],
      ...tail('libx264'),
    ]);
  });

  it("keeps FFmpeg's first complaint, without its context prefix", () => {
    const stderr =
      '[h264_nvenc @ 0x557a5e039380] Cannot load libcuda.so.1\n' +
      'Error initializing output stream 0:0 -- Error while opening encoder\n';
    expect(firstComplaint(stderr)).toBe('Cannot load libcuda.so.1');
    expect(firstComplaint("\nUnknown encoder 'h264_qsv'\n")).toBe("Unknown encoder 'h264_qsv'");
    expect(firstComplaint('')).toBeUndefined();
  });
});

describe('the builders with a hardware encoder', () => {
  const plan: TranscodePlan = {
    input: '/in/source',
    outDir: '/out',
    preset: 'veryfast',
    encoder: vaapi,
    segmentSeconds: 4,
    videoInput: '0:0',
    audioInput: null,
    frameRate: { num: 25, den: 1 },
    rungs: [
      {
        kind: 'video',
        name: '360p',
        width: 640,
        height: 360,
        videoBitrate: 800_000,
        maxBitrate: 1_200_000,
        bufferSize: 1_600_000,
        audioBitrate: null,
      },
    ],
    audio: null,
    thumbnail: null,
    storyboard: null,
  };

  it('the VOD ladder opens the device before the input and uploads after the scale', () => {
    const args = buildLadderArgs(plan);
    expect(args.slice(8, 12)).toEqual([
      ...['-init_hw_device', 'vaapi=hw:/dev/dri/renderD128', '-filter_hw_device', 'hw'],
    ]);
    expect(args.indexOf('-init_hw_device')).toBeLessThan(args.indexOf('-i'));
    expect(args[args.indexOf('-filter_complex') + 1]).toBe(
      '[0:0]fps=25/1,split=1[s0];[s0]scale=w=640:h=360,setsar=1,format=nv12,hwupload[v0]',
    );
    const codec = args.indexOf('-c:v');
    expect(args.slice(codec, codec + 16)).toEqual([
      ...['-c:v', 'h264_vaapi', '-profile:v', 'high', '-rc_mode', 'VBR', '-g', '100', ...FORCED_4S],
      ...['-b:v:0', '800000', '-maxrate:v:0', '1200000', '-bufsize:v:0', '1600000'],
    ]);
  });

  it('the live command opens the device before its input and encodes rungs with nvenc', () => {
    const url = 'rtmp://ingest-1:1935/live/s_abc';
    const args = liveFfmpegArgs({ sourceUrl: url, ladder: 'source+720p', copySource: true, encoder: qsv });
    expect(args.slice(0, 10)).toEqual([
      ...['-hide_banner', '-nostdin', '-v', 'error'],
      ...['-init_hw_device', 'vaapi=va:/dev/dri/renderD129', '-init_hw_device', 'qsv=hw@va'],
      ...['-filter_hw_device', 'hw'],
    ]);
    const nv = liveFfmpegArgs({ sourceUrl: url, ladder: 'source+720p', copySource: true, encoder: nvenc });
    expect(nv.slice(0, 5)).toEqual(['-hide_banner', '-nostdin', '-v', 'error', '-analyzeduration']);
    const rung = nv.slice(nv.indexOf('pipe:1') + 1);
    expect(rung.slice(4, 6)).toEqual(['-c:v', 'h264_nvenc']);
    expect(rung).toContain('scale=-2:720');
  });
});
