import { describe, expect, it } from 'vitest';
import { buildLadderArgs, buildRemuxArgs } from './ffmpeg-args.js';
import type { VideoRung } from './ladder.js';
import type { TranscodePlan } from './plan.js';

// biome-ignore format: an option and its value per line
const SAFE_INPUT = [
  '-protocol_whitelist', 'file',
  '-format_whitelist', 'mov,matroska,avi,flv,mpegts,mpeg,ogg,wav,mp3,aac,flac,asf',
  '-i', 'file:/in/source',
];
// biome-ignore format: an option and its value per line
const PREAMBLE = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-nostats', '-progress', 'pipe:1'];

const rung = (
  name: string,
  width: number,
  height: number,
  kbps: number,
  audioKbps: number | null,
): VideoRung => ({
  kind: 'video',
  name,
  width,
  height,
  videoBitrate: kbps * 1000,
  maxBitrate: kbps * 1500,
  bufferSize: kbps * 2000,
  audioBitrate: audioKbps === null ? null : audioKbps * 1000,
});

const base: TranscodePlan = {
  input: '/in/source',
  outDir: '/out',
  preset: 'veryfast',
  segmentSeconds: 4,
  videoInput: '0:0',
  audioInput: '0:1',
  frameRate: { num: 30000, den: 1001 },
  rungs: [rung('720p', 1280, 720, 2400, 128), rung('360p', 640, 360, 800, 96)],
  audio: { channels: 2, sampleRate: 48_000 },
  thumbnail: null,
  storyboard: null,
};

// biome-ignore format: an option and its value per line
const hls = (dir: string) => [
  '-f', 'hls', '-hls_time', '4', '-hls_playlist_type', 'vod', '-hls_segment_type', 'fmp4',
  '-hls_flags', 'independent_segments', '-hls_fmp4_init_filename', 'init.mp4', '-start_number', '1',
  '-hls_segment_filename', `/out/${dir}/seg_%05d.m4s`,
];
const STRIP = ['-map_metadata', '-1', '-map_chapters', '-1'];

describe('buildLadderArgs', () => {
  it('encodes every rendition from one decode with aligned keyframes (exact arguments)', () => {
    // biome-ignore format: one logical option per line reads better than one token per line
    expect(buildLadderArgs(base)).toEqual([
      ...PREAMBLE,
      ...SAFE_INPUT,
      '-filter_complex',
      '[0:0]fps=30000/1001,split=2[s0][s1];' +
        '[s0]scale=w=1280:h=720,setsar=1,format=yuv420p[v0];' +
        '[s1]scale=w=640:h=360,setsar=1,format=yuv420p[v1]',
      '-map', '[v0]', '-map', '0:1',
      '-map', '[v1]', '-map', '0:1',
      '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high',
      '-g', '120', '-keyint_min', '120', '-sc_threshold', '0',
      '-force_key_frames', 'expr:gte(t,n_forced*4)',
      '-b:v:0', '2400000', '-maxrate:v:0', '3600000', '-bufsize:v:0', '4800000',
      '-b:v:1', '800000', '-maxrate:v:1', '1200000', '-bufsize:v:1', '1600000',
      '-c:a', 'aac', '-ac', '2', '-ar', '48000',
      '-b:a:0', '128000', '-b:a:1', '96000',
      ...STRIP, '-max_muxing_queue_size', '4096',
      ...hls('%v'),
      '-var_stream_map', 'v:0,a:0,name:720p v:1,a:1,name:360p',
      '/out/%v/index.m3u8',
    ]);
  });

  it('adds the storyboard and poster as branches of the same decode', () => {
    const plan: TranscodePlan = {
      ...base,
      frameRate: { num: 25, den: 1 },
      rungs: [rung('240p', 426, 240, 470, 96)],
      thumbnail: { startSeconds: 1.2, frames: 25, width: 426, height: 240 },
      storyboard: { intervalSeconds: 2, count: 13, columns: 10, rows: 2, tileWidth: 160, tileHeight: 90 },
    };
    const args = buildLadderArgs(plan);
    expect(args[args.indexOf('-filter_complex') + 1]).toBe(
      '[0:0]fps=25/1,split=3[s0][sb_in][th_in];' +
        '[s0]scale=w=426:h=240,setsar=1,format=yuv420p[v0];' +
        '[sb_in]fps=1/2,trim=end_frame=13,scale=w=160:h=90,setsar=1,tile=10x2[sb];' +
        '[th_in]trim=start_frame=30:end_frame=55,thumbnail=25,scale=w=426:h=240,setsar=1[th]',
    );
    expect(args.slice(args.indexOf('-g'), args.indexOf('-g') + 4)).toEqual([
      '-g',
      '100',
      '-keyint_min',
      '100',
    ]);
    // biome-ignore format: one output per line
    expect(args.slice(args.indexOf('/out/%v/index.m3u8'))).toEqual([
      '/out/%v/index.m3u8',
      '-map', '[sb]', '-fps_mode', 'passthrough', '-c:v', 'mjpeg', '-q:v', '5', '-f', 'image2', '-update', '1', '/out/storyboard.jpg',
      '-map', '[th]', '-fps_mode', 'passthrough', '-c:v', 'mjpeg', '-q:v', '3', '-f', 'image2', '-update', '1', '/out/thumbnail.jpg',
    ]);
  });

  it('maps no audio for a silent source', () => {
    const silent: TranscodePlan = {
      ...base,
      audioInput: null,
      audio: null,
      rungs: [rung('720p', 1280, 720, 2400, null), rung('360p', 640, 360, 800, null)],
    };
    const args = buildLadderArgs(silent);
    expect(args.filter((a) => a === '-map')).toHaveLength(2);
    expect(args).not.toContain('-c:a');
    expect(args[args.indexOf('-var_stream_map') + 1]).toBe('v:0,name:720p v:1,name:360p');
  });

  it('keeps the frame-rate fraction and segment length in the keyframe settings', () => {
    const args = buildLadderArgs({ ...base, frameRate: { num: 60, den: 1 }, segmentSeconds: 2 });
    expect(args.slice(args.indexOf('-g'), args.indexOf('-g') + 8)).toEqual([
      '-g',
      '120',
      '-keyint_min',
      '120',
      '-sc_threshold',
      '0',
      '-force_key_frames',
      'expr:gte(t,n_forced*2)',
    ]);
    expect(args[args.indexOf('-hls_time') + 1]).toBe('2');
  });

  it('writes a single audio rendition for an audio-only source (exact arguments)', () => {
    const audioOnly: TranscodePlan = {
      ...base,
      videoInput: null,
      audioInput: '0:a:0',
      frameRate: null,
      rungs: [{ kind: 'audio', name: 'audio', audioBitrate: 128_000 }],
      audio: { channels: 1, sampleRate: 44_100 },
    };
    // biome-ignore format: one logical option per line
    expect(buildLadderArgs(audioOnly)).toEqual([
      ...PREAMBLE,
      ...SAFE_INPUT,
      '-map', '0:a:0', '-c:a', 'aac', '-ac', '1', '-ar', '44100', '-b:a:0', '128000',
      ...STRIP, '-max_muxing_queue_size', '4096',
      ...hls('%v'),
      '-var_stream_map', 'a:0,name:audio',
      '/out/%v/index.m3u8',
    ]);
  });

  it('refuses plans it cannot turn into a command', () => {
    expect(() => buildLadderArgs({ ...base, rungs: [], videoInput: null, audioInput: null })).toThrow();
    expect(() => buildLadderArgs({ ...base, videoInput: null })).toThrow('no video input');
  });
});

describe('buildRemuxArgs', () => {
  it('copies video and audio into one fMP4 HLS rendition (exact arguments)', () => {
    const job = {
      input: '/in/source',
      outDir: '/out',
      videoInput: '0:0',
      audioInput: '0:1',
      segmentSeconds: 4,
    };
    // biome-ignore format: one logical option per line
    expect(buildRemuxArgs(job)).toEqual([
      ...PREAMBLE,
      ...SAFE_INPUT,
      '-map', '0:0', '-map', '0:1', '-c', 'copy',
      ...STRIP,
      ...hls('source'),
      '/out/source/index.m3u8',
    ]);
  });

  it('copies only the video of a silent source', () => {
    const job = {
      input: '/in/source',
      outDir: '/out',
      videoInput: '0:v:0',
      audioInput: null,
      segmentSeconds: 4,
    };
    const args = buildRemuxArgs(job);
    expect(args.slice(PREAMBLE.length + SAFE_INPUT.length, PREAMBLE.length + SAFE_INPUT.length + 4)).toEqual([
      '-map',
      '0:v:0',
      '-c',
      'copy',
    ]);
  });
});
