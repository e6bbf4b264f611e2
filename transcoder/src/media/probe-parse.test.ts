import { describe, expect, it } from 'vitest';
import { MediaRejectedError } from './errors.js';
import { parseProbeOutput, sniffRejectedHeader } from './probe-parse.js';

const bytes = (text: string) => new TextEncoder().encode(text);

const h264 = (extra: Record<string, unknown> = {}) => ({
  index: 0,
  codec_type: 'video',
  codec_name: 'h264',
  profile: 'High',
  pix_fmt: 'yuv420p',
  width: 1920,
  height: 1080,
  sample_aspect_ratio: '1:1',
  r_frame_rate: '30/1',
  avg_frame_rate: '30/1',
  bit_rate: '8000000',
  disposition: { attached_pic: 0 },
  ...extra,
});
const aac = (extra: Record<string, unknown> = {}) => ({
  index: 1,
  codec_type: 'audio',
  codec_name: 'aac',
  profile: 'LC',
  channels: 2,
  sample_rate: '48000',
  bit_rate: '128000',
  ...extra,
});
const probe = (streams: unknown[], format: Record<string, unknown> = {}) => ({
  streams,
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '12.5', bit_rate: '8130000', ...format },
});

function rejection(fn: () => unknown): MediaRejectedError {
  try {
    fn();
  } catch (error) {
    if (error instanceof MediaRejectedError) return error;
  }
  throw new Error('expected a MediaRejectedError');
}

describe('sniffRejectedHeader', () => {
  it('spots HLS playlists, PLS playlists and ffconcat lists, with BOM or leading blanks', () => {
    expect(sniffRejectedHeader(bytes('#EXTM3U\n#EXTINF:3,\n/etc/passwd\n'))).toBe('playlist');
    expect(sniffRejectedHeader(bytes('\uFEFF  \n#extm3u\n'))).toBe('playlist');
    expect(sniffRejectedHeader(bytes('[playlist]\nFile1=http://x/\n'))).toBe('playlist');
    expect(sniffRejectedHeader(bytes('ffconcat version 1.0\nfile /etc/passwd\n'))).toBe('playlist');
  });

  it('reports empty files and lets everything else through to ffprobe', () => {
    expect(sniffRejectedHeader(new Uint8Array(0))).toBe('empty');
    expect(sniffRejectedHeader(bytes('\0\0\0\x18ftypmp42'))).toBeNull();
    expect(sniffRejectedHeader(bytes('just some text'))).toBeNull();
  });
});

describe('parseProbeOutput', () => {
  it('reads a landscape H.264/AAC file', () => {
    expect(parseProbeOutput(probe([h264(), aac()]))).toEqual({
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      durationSeconds: 12.5,
      bitrate: 8130000,
      video: {
        index: 0,
        codec: 'h264',
        profile: 'High',
        pixFmt: 'yuv420p',
        width: 1920,
        height: 1080,
        fps: 30,
        variableFrameRate: false,
        bitrate: 8000000,
        rotation: 0,
      },
      audio: { index: 1, codec: 'aac', profile: 'LC', channels: 2, sampleRate: 48000, bitrate: 128000 },
    });
  });

  it('swaps width and height for phone video rotated by a display matrix', () => {
    const side = { side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] };
    const video = parseProbeOutput(probe([h264(side)])).video;
    expect(video).toMatchObject({ width: 1080, height: 1920, rotation: 90 });
    const upsideDown = { side_data_list: [{ side_data_type: 'Display Matrix', rotation: 180 }] };
    expect(parseProbeOutput(probe([h264(upsideDown)])).video).toMatchObject({ width: 1920, rotation: 180 });
    const clockwise = { side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] };
    expect(parseProbeOutput(probe([h264(clockwise)])).video).toMatchObject({ width: 1080, rotation: 270 });
  });

  it('reads the older clockwise rotate tag', () => {
    expect(parseProbeOutput(probe([h264({ tags: { rotate: '270' } })])).video).toMatchObject({
      width: 1080,
      height: 1920,
      rotation: 270,
    });
  });

  it('applies a non-square sample aspect ratio to the width', () => {
    const dv = h264({ width: 720, height: 480, sample_aspect_ratio: '32:27' });
    expect(parseProbeOutput(probe([dv])).video).toMatchObject({ width: 853, height: 480 });
    const unknownSar = h264({ width: 720, height: 480, sample_aspect_ratio: '0:1' });
    expect(parseProbeOutput(probe([unknownSar])).video).toMatchObject({ width: 720, height: 480 });
  });

  it('flags variable frame rate when the average differs from the base rate', () => {
    const vfr = h264({ r_frame_rate: '30/1', avg_frame_rate: '45/2' });
    expect(parseProbeOutput(probe([vfr])).video).toMatchObject({ fps: 22.5, variableFrameRate: true });
    const ntsc = h264({ r_frame_rate: '30000/1001', avg_frame_rate: '30000/1001' });
    expect(parseProbeOutput(probe([ntsc])).video).toMatchObject({
      fps: 30000 / 1001,
      variableFrameRate: false,
    });
  });

  it('falls back to the base rate, then 30, when the average is unknown or absurd', () => {
    expect(parseProbeOutput(probe([h264({ avg_frame_rate: '0/0', r_frame_rate: '25/1' })])).video?.fps).toBe(
      25,
    );
    const garbage = h264({ avg_frame_rate: '0/0', r_frame_rate: '90000/1' });
    expect(parseProbeOutput(probe([garbage])).video).toMatchObject({ fps: 30, variableFrameRate: false });
  });

  it('ignores cover art so an MP3 with a picture is audio-only', () => {
    const cover = h264({ index: 1, codec_name: 'mjpeg', disposition: { attached_pic: 1 } });
    const result = parseProbeOutput(
      probe([aac({ index: 0, codec_name: 'mp3' }), cover], { format_name: 'mp3' }),
    );
    expect(result.video).toBeUndefined();
    expect(result.audio).toMatchObject({ index: 0, codec: 'mp3' });
  });

  it('takes the first video and first audio stream, skipping subtitles and data', () => {
    const sub = { index: 0, codec_type: 'subtitle', codec_name: 'mov_text' };
    const result = parseProbeOutput(probe([sub, aac({ index: 1 }), h264({ index: 2 }), aac({ index: 3 })]));
    expect(result.video?.index).toBe(2);
    expect(result.audio?.index).toBe(1);
  });

  it('maps N/A bitrates to null and finds the duration on the streams when the format lacks it', () => {
    const result = parseProbeOutput(
      probe([h264({ bit_rate: 'N/A', duration: '7.2' }), aac({ bit_rate: undefined, duration: '7.4' })], {
        duration: 'N/A',
        bit_rate: 'N/A',
      }),
    );
    expect(result).toMatchObject({ durationSeconds: 7.4, bitrate: null });
    expect(result.video?.bitrate).toBeNull();
    expect(result.audio?.bitrate).toBeNull();
  });

  it('rejects files without a usable video or audio stream', () => {
    const cases = [
      probe([]),
      probe([{ index: 0, codec_type: 'subtitle', codec_name: 'subrip' }]),
      probe([h264({ width: 0, height: 0 }), aac({ channels: 0 })]),
      {},
      null,
    ];
    for (const output of cases) {
      const error = rejection(() => parseProbeOutput(output));
      expect(error.code).toBe('no-streams');
      expect(error.message).toBe('The file has no video or audio stream');
    }
  });

  it('rejects a file without a duration', () => {
    const error = rejection(() => parseProbeOutput(probe([h264()], { duration: '0' })));
    expect(error).toMatchObject({ code: 'unreadable', message: 'The file has no playable duration' });
  });
});
