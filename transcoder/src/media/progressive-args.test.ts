import { describe, expect, it } from 'vitest';
import { buildLadderArgs } from './ffmpeg-args.js';
import type { TranscodePlan } from './plan.js';
import { buildProgressiveLadderArgs } from './progressive-args.js';

const audioOnly: TranscodePlan = {
  input: '/in/source',
  outDir: '/out',
  preset: 'veryfast',
  segmentSeconds: 4,
  videoInput: null,
  audioInput: '0:a:0',
  frameRate: null,
  rungs: [{ kind: 'audio', name: 'audio', audioBitrate: 128_000 }],
  audio: { channels: 1, sampleRate: 44_100 },
  thumbnail: null,
  storyboard: null,
};

describe('buildProgressiveLadderArgs', () => {
  it('is the ladder with EVENT playlists (exact arguments)', () => {
    // biome-ignore format: one logical option per line
    expect(buildProgressiveLadderArgs(audioOnly)).toEqual([
      '-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-nostats', '-progress', 'pipe:1',
      '-protocol_whitelist', 'file',
      '-format_whitelist', 'mov,matroska,avi,flv,mpegts,mpeg,ogg,wav,mp3,aac,flac,asf',
      '-i', 'file:/in/source',
      '-map', '0:a:0', '-c:a', 'aac', '-ac', '1', '-ar', '44100', '-b:a:0', '128000',
      '-map_metadata', '-1', '-map_chapters', '-1', '-max_muxing_queue_size', '4096',
      '-f', 'hls', '-hls_time', '4', '-hls_playlist_type', 'event', '-hls_segment_type', 'fmp4',
      '-hls_flags', 'independent_segments', '-hls_fmp4_init_filename', 'init.mp4', '-start_number', '1',
      '-hls_segment_filename', '/out/%v/seg_%05d.m4s',
      '-var_stream_map', 'a:0,name:audio',
      '/out/%v/index.m3u8',
    ]);
  });

  it('changes nothing but the playlist type of a video ladder', () => {
    const plan: TranscodePlan = {
      ...audioOnly,
      videoInput: '0:0',
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
          audioBitrate: 96_000,
        },
      ],
    };
    const vod = buildLadderArgs(plan);
    const event = buildProgressiveLadderArgs(plan);
    const differs = vod.flatMap((arg, i) => (arg === event[i] ? [] : [[arg, event[i]]]));
    expect(differs).toEqual([['vod', 'event']]);
    expect(event).toHaveLength(vod.length);
  });
});
