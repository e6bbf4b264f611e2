import { describe, expect, it } from 'vitest';
import { isGrowingPlaylist, playlistReferences } from './hls.js';

const event = [
  '#EXTM3U',
  '#EXT-X-VERSION:7',
  '#EXT-X-TARGETDURATION:4',
  '#EXT-X-PLAYLIST-TYPE:EVENT',
  '#EXT-X-MAP:URI="init.mp4"',
  '#EXTINF:4.000000,',
  'seg_00001.m4s',
  '#EXTINF:4.000000,',
  'seg_00002.m4s',
  '',
].join('\n');

describe('isGrowingPlaylist', () => {
  it('is true for an EVENT playlist until its ENDLIST', () => {
    expect(isGrowingPlaylist(event)).toBe(true);
    expect(isGrowingPlaylist(`${event}#EXT-X-ENDLIST\n`)).toBe(false);
  });
  it('is false for VOD and master playlists', () => {
    expect(isGrowingPlaylist(event.replace('EVENT', 'VOD'))).toBe(false);
    expect(isGrowingPlaylist('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n360p/index.m3u8\n')).toBe(false);
  });
});

describe('playlistReferences', () => {
  it('lists the init segment and the segments of a media playlist, in order', () => {
    expect(playlistReferences(event)).toEqual(['init.mp4', 'seg_00001.m4s', 'seg_00002.m4s']);
  });
  it('lists the variants and renditions of a master playlist once each', () => {
    const master = [
      '#EXTM3U',
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="en",URI="audio/index.m3u8"',
      '#EXT-X-STREAM-INF:BANDWIDTH=900000,CODECS="avc1.64001e,mp4a.40.2"',
      '360p/index.m3u8',
      '#EXT-X-STREAM-INF:BANDWIDTH=900001',
      '360p/index.m3u8',
      '#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI="360p/iframes.m3u8"',
      '',
    ].join('\r\n');
    expect(playlistReferences(master)).toEqual(['audio/index.m3u8', '360p/index.m3u8', '360p/iframes.m3u8']);
  });
  it('returns absolute and climbing URIs as they are, for the caller to refuse', () => {
    expect(playlistReferences('#EXTM3U\n../other/index.m3u8\nhttps://x.test/a.m4s\n')).toEqual([
      '../other/index.m3u8',
      'https://x.test/a.m4s',
    ]);
  });
});
