import { describe, expect, it } from 'vitest';
import { playlistUris, rewritePlaylist } from './hls-rewrite.js';

const BASE = 'https://peer.example/static/streaming-playlists/hls/abc/master.m3u8';

const MASTER = [
  '#EXTM3U',
  '#EXT-X-VERSION:7',
  '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="main",URI="audio/index.m3u8"',
  '#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,AUDIO="aud"',
  '360.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720',
  'https://cdn.peer.example/hls/abc/720.m3u8',
  '',
].join('\r\n');

const MEDIA = [
  '#EXTM3U',
  '#EXT-X-TARGETDURATION:4',
  '#EXT-X-MAP:URI="abc-360-fragmented.mp4",BYTERANGE="1200@0"',
  '#EXT-X-KEY:METHOD=SAMPLE-AES,URI="skd://key-1"',
  '#EXTINF:4.000000,',
  '#EXT-X-BYTERANGE:50000@1200',
  'abc-360-fragmented.mp4',
  '#EXTINF:2.5,',
  '../other/seg-2.ts?token=x',
  '#EXT-X-ENDLIST',
].join('\n');

describe('HLS playlist rewriting for the media proxy', () => {
  it('lists every URL a master playlist refers to, resolved against it, once', () => {
    expect(playlistUris(MASTER, BASE)).toEqual([
      'https://peer.example/static/streaming-playlists/hls/abc/audio/index.m3u8',
      'https://peer.example/static/streaming-playlists/hls/abc/360.m3u8',
      'https://cdn.peer.example/hls/abc/720.m3u8',
    ]);
    expect(playlistUris(MEDIA, BASE)).toEqual([
      'https://peer.example/static/streaming-playlists/hls/abc/abc-360-fragmented.mp4',
      'skd://key-1',
      'https://peer.example/static/streaming-playlists/hls/other/seg-2.ts?token=x',
    ]);
  });

  it('replaces each mapped URL, in URI attributes and on URI lines, and leaves the rest', () => {
    const proxied = new Map(playlistUris(MASTER, BASE).map((u, i) => [u, `/federation/media/s${i}/u${i}`]));
    expect(rewritePlaylist(MASTER, BASE, proxied)).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="main",URI="/federation/media/s0/u0"',
        '#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,AUDIO="aud"',
        '/federation/media/s1/u1',
        '#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720',
        '/federation/media/s2/u2',
        '',
      ].join('\n'),
    );
    const media = new Map([
      ['https://peer.example/static/streaming-playlists/hls/abc/abc-360-fragmented.mp4', '/p/frag'],
      ['https://peer.example/static/streaming-playlists/hls/other/seg-2.ts?token=x', '/p/seg2'],
    ]);
    expect(rewritePlaylist(MEDIA, BASE, media)).toBe(
      [
        '#EXTM3U',
        '#EXT-X-TARGETDURATION:4',
        '#EXT-X-MAP:URI="/p/frag",BYTERANGE="1200@0"',
        '#EXT-X-KEY:METHOD=SAMPLE-AES,URI="skd://key-1"',
        '#EXTINF:4.000000,',
        '#EXT-X-BYTERANGE:50000@1200',
        '/p/frag',
        '#EXTINF:2.5,',
        '/p/seg2',
        '#EXT-X-ENDLIST',
      ].join('\n'),
    );
  });
});
