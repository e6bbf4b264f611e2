import { describe, expect, it } from 'vitest';
import { fragmentedMp4Output } from './fmp4-args.js';
import { liveFfmpegArgs, liveRungs, rungPipe } from './live-args.js';

const URL = 'rtmp://ingest-1:1935/live/s_abc';
/** fmp4-args.test.ts asserts these options; here they only have to come after each rendition. */
const FMP4 = fragmentedMp4Output().slice(0, -1);
const X264 = [
  ...['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p'],
  ...['-force_key_frames', 'expr:gte(t,n_forced*1)', '-sc_threshold', '0'],
];

describe('the live FFmpeg command', () => {
  it('copies an H.264/AAC source to fragmented MP4 on stdout', () => {
    expect(liveFfmpegArgs({ sourceUrl: URL, ladder: 'source', copySource: true })).toEqual([
      ...[
        '-hide_banner',
        '-nostdin',
        '-v',
        'error',
        '-analyzeduration',
        '1000000',
        '-rw_timeout',
        '3000000',
        '-i',
        URL,
      ],
      ...['-map', '0:v:0', '-map', '0:a:0?', '-c', 'copy', ...FMP4, 'pipe:1'],
    ]);
  });

  it('re-encodes the source with x264 when it cannot be copied', () => {
    const args = liveFfmpegArgs({ sourceUrl: URL, ladder: 'source', copySource: false });
    expect(args.slice(args.indexOf(URL) + 1)).toEqual([
      ...['-map', '0:v:0', '-map', '0:a:0?', ...X264, '-crf', '23', '-c:a', 'aac', '-b:a', '128k'],
      ...FMP4,
      'pipe:1',
    ]);
  });

  it('writes each transcoded rung on its own pipe with a 1 s GOP on the clock', () => {
    const args = liveFfmpegArgs({
      sourceUrl: URL,
      ladder: 'source+720p+360p',
      copySource: true,
      preset: 'ultrafast',
    });
    expect(args.filter((a) => a.startsWith('pipe:'))).toEqual(['pipe:1', 'pipe:3', 'pipe:4']);
    const rung720 = args.slice(args.indexOf('pipe:1') + 1, args.indexOf('pipe:3'));
    expect(rung720).toEqual([
      ...['-map', '0:v:0', '-map', '0:a:0?'],
      ...X264.map((a) => (a === 'veryfast' ? 'ultrafast' : a)),
      ...['-b:v', '2800k', '-maxrate', '2800k', '-bufsize', '2800k', '-vf', 'scale=-2:720'],
      ...['-c:a', 'aac', '-b:a', '128k', ...FMP4],
    ]);
    expect(args.slice(args.indexOf('pipe:3'))).toContain('800k');
  });

  it('names the renditions of each ladder, source first', () => {
    expect(liveRungs('source').map((r) => r.name)).toEqual(['source']);
    expect(liveRungs('source+720p').map((r) => r.name)).toEqual(['source', '720p']);
    expect(liveRungs('source+720p+360p').map((r) => r.height)).toEqual([undefined, 720, 360]);
    expect([0, 1, 2].map(rungPipe)).toEqual(['pipe:1', 'pipe:3', 'pipe:4']);
  });
});
