import { describe, expect, it } from 'vitest';
import {
  cleanFfmpegLine,
  explainFfmpegFailure,
  MediaRejectedError,
  REJECTION_CODES,
  REJECTION_MESSAGES,
} from './errors.js';

// Real stderr captured from FFmpeg 5.1 with `-v error` and our whitelists.
const WL = "'mov,matroska,avi,flv,mpegts,mpeg,ogg,wav,mp3,aac,flac,asf'";
const HLS = `[hls @ 0x560e89b93300] Format not on whitelist ${WL}\nfile:/tmp/up/abc: Invalid argument\n`;
const CONCAT = `[concat @ 0x5598fe01b300] Format not on whitelist ${WL}\nfile:/tmp/up/abc: Invalid argument\n`;
const BIN = `[bin @ 0x55d1326c8300] Format not on whitelist ${WL}\nfile:/tmp/up/abc: Invalid argument\n`;
const MOOV =
  '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5562a7654540] moov atom not found\nfile:/tmp/up/abc: Invalid data found when processing input\n';
const INVALID = 'file:/tmp/up/abc: Invalid data found when processing input\n';
const PROTOCOL = "[http @ 0x5636e57d0b40] Protocol 'http' not on whitelist 'file'!\n";

describe('explainFfmpegFailure', () => {
  it('calls an HLS playlist or concat list a playlist', () => {
    expect(explainFfmpegFailure(HLS)).toEqual({
      mediaFault: true,
      code: 'playlist',
      message: 'Playlists and concat lists are not accepted as uploads',
    });
    expect(explainFfmpegFailure(CONCAT)).toMatchObject({ mediaFault: true, code: 'playlist' });
  });

  it('calls other refused demuxers unreadable', () => {
    expect(explainFfmpegFailure(BIN)).toEqual({
      mediaFault: true,
      code: 'unreadable',
      message: 'The file is not a video or audio file we can read',
    });
  });

  it('reports a missing MP4 index as truncated, before the generic invalid-data rule', () => {
    expect(explainFfmpegFailure(MOOV)).toMatchObject({ mediaFault: true, code: 'truncated' });
    expect(explainFfmpegFailure(INVALID)).toMatchObject({ mediaFault: true, code: 'unreadable' });
  });

  it('reports references to URLs or other files', () => {
    expect(explainFfmpegFailure(PROTOCOL)).toEqual({
      mediaFault: true,
      code: 'references',
      message: 'The file refers to other files or URLs, which uploads may not do',
    });
  });

  it('blames the machine, not the file, for disk, permission and build problems', () => {
    const disk =
      '[hls @ 0x1] Failed to open file /srv/out/720p/seg_00003.m4s\nav_interleaved_write_frame(): No space left on device\n';
    expect(explainFfmpegFailure(disk)).toEqual({
      mediaFault: false,
      message: 'av_interleaved_write_frame(): No space left on device',
    });
    expect(explainFfmpegFailure("Unknown encoder 'libx264'\n").mediaFault).toBe(false);
    expect(
      explainFfmpegFailure("No such filter: 'scale2'\nError initializing complex filters.\n").mediaFault,
    ).toBe(false);
    expect(explainFfmpegFailure('Option hls_foo not found.\n').mediaFault).toBe(false);
    expect(explainFfmpegFailure('file:/srv/jobs/x/source: No such file or directory\n')).toEqual({
      mediaFault: false,
      message: '<file>: No such file or directory',
    });
    expect(explainFfmpegFailure('/srv/out: Permission denied\n')).toEqual({
      mediaFault: false,
      message: '<file>: Permission denied',
    });
  });

  it('falls back to a short, cleaned last line for unknown decoder failures', () => {
    const stderr = [
      '[h264 @ 0x55] Invalid NAL unit size (7741 > 1226).',
      '[h264 @ 0x55] Error splitting the input into NAL units.',
      'Error while decoding stream #0:0: Operation not permitted',
      'Conversion failed!',
      '',
    ].join('\n');
    expect(explainFfmpegFailure(stderr)).toEqual({
      mediaFault: true,
      code: 'damaged',
      message:
        'The file is damaged and could not be converted (Error while decoding stream #0:0: Operation not permitted)',
    });
  });

  it('never returns more than one short line, even for a huge dump', () => {
    const dump = Array.from({ length: 50 }, (_, i) => `[h264 @ 0x55] error ${i} ${'x'.repeat(300)}`).join(
      '\n',
    );
    const failure = explainFfmpegFailure(dump);
    expect(failure.message).not.toContain('\n');
    expect(failure.message.length).toBeLessThanOrEqual(REJECTION_MESSAGES.damaged.length + 3 + 160);
  });

  it('says something even for empty stderr', () => {
    expect(explainFfmpegFailure('')).toEqual({
      mediaFault: true,
      code: 'damaged',
      message: 'The file is damaged and could not be converted (unknown error)',
    });
  });
});

describe('cleanFfmpegLine', () => {
  it('strips the component prefix and hides server paths', () => {
    expect(cleanFfmpegLine('[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5562a7654540] moov atom not found')).toBe(
      'moov atom not found',
    );
    expect(cleanFfmpegLine('file:/var/lib/vidra/jobs/x/source: Invalid data found')).toBe(
      '<file>: Invalid data found',
    );
    expect(cleanFfmpegLine("Failed to open '/etc/passwd'   now")).toBe("Failed to open '<file>' now");
  });
});

describe('MediaRejectedError', () => {
  it('carries a code and the readable message for it', () => {
    const error = new MediaRejectedError('empty');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('MediaRejectedError');
    expect(error.code).toBe(REJECTION_CODES.empty);
    expect(error.message).toBe('The file is empty');
    expect(new MediaRejectedError('truncated', 'custom').message).toBe('custom');
  });

  it('has a message for every code', () => {
    for (const code of Object.values(REJECTION_CODES))
      expect(REJECTION_MESSAGES[code]).toMatch(/^The |^Playlists/);
  });
});
