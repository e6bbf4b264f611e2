import { describe, expect, it } from 'vitest';
import { renderMultivariantPlaylist } from './multivariant.js';

describe('renderMultivariantPlaylist', () => {
  it('lists every rendition, highest bandwidth first, with codecs and resolution when known', () => {
    const text = renderMultivariantPlaylist(
      [
        { name: '360p', bandwidth: 800_000, codecs: 'avc1.64001e,mp4a.40.2', width: 640, height: 360 },
        { name: 'source', bandwidth: 3_000_000, codecs: 'avc1.640028,mp4a.40.2', width: 1920, height: 1080 },
        { name: 'audio', bandwidth: 128_000 },
      ],
      'index.m3u8',
    );
    expect(text.split('\n')).toEqual([
      '#EXTM3U',
      '#EXT-X-VERSION:9',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-STREAM-INF:BANDWIDTH=3000000,CODECS="avc1.640028,mp4a.40.2",RESOLUTION=1920x1080',
      'source/index.m3u8',
      '#EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS="avc1.64001e,mp4a.40.2",RESOLUTION=640x360',
      '360p/index.m3u8',
      '#EXT-X-STREAM-INF:BANDWIDTH=128000',
      'audio/index.m3u8',
      '',
    ]);
  });
});
