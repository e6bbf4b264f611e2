import { describe, expect, it } from 'vitest';
import { GLOBAL_ARGS, safeInputArgs } from './ffmpeg-args.js';
import { ALLOWED_DEMUXERS, ALLOWED_PROTOCOLS, toFileInput } from './safe-input.js';

// biome-ignore format: an option and its value per line
const SAFE_INPUT = [
  '-protocol_whitelist', 'file',
  '-format_whitelist', 'mov,matroska,avi,flv,mpegts,mpeg,ogg,wav,mp3,aac,flac,asf',
  '-i', 'file:/in/source',
];
// biome-ignore format: an option and its value per line
const PREAMBLE = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-nostats', '-progress', 'pipe:1'];

describe('safeInputArgs', () => {
  it('confines reading to one local file through allow-listed demuxers', () => {
    expect(safeInputArgs('/in/source')).toEqual(SAFE_INPUT);
    expect(GLOBAL_ARGS).toEqual(PREAMBLE);
  });

  it('never lets the name be read as a protocol or a relative path', () => {
    expect(safeInputArgs('/up/http://evil').at(-1)).toBe('file:/up/http://evil');
    expect(safeInputArgs('concat:/etc/passwd|x').at(-1)).toBe(`file:${process.cwd()}/concat:/etc/passwd|x`);
  });

  it('leaves out every demuxer that reads other files, URLs or generates content', () => {
    const allowed = (safeInputArgs('/x')[3] ?? '').split(',');
    for (const banned of [
      'hls',
      'concat',
      'image2',
      'image2pipe',
      'lavfi',
      'data',
      'tee',
      'tty',
      'bin',
      'sdp',
      'rtsp',
    ]) {
      expect(allowed).not.toContain(banned);
    }
  });
});

describe('allow-lists', () => {
  it('allow only the file protocol and real media containers', () => {
    expect(ALLOWED_PROTOCOLS).toEqual(['file']);
    expect(ALLOWED_DEMUXERS).toEqual([
      'mov',
      'matroska',
      'avi',
      'flv',
      'mpegts',
      'mpeg',
      'ogg',
      'wav',
      'mp3',
      'aac',
      'flac',
      'asf',
    ]);
    expect(toFileInput('/a b/c')).toBe('file:/a b/c');
  });
});
