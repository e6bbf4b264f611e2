import { describe, expect, it } from 'vitest';
import { aacCodecString, avcCodecFromInit, renderMasterPlaylist } from './master-playlist.js';

describe('renderMasterPlaylist', () => {
  it('writes version 7, independent segments and exact per-variant attributes', () => {
    const master = renderMasterPlaylist([
      {
        bandwidth: 2_891_234.2,
        averageBandwidth: 2_500_000,
        codecs: 'avc1.64001f,mp4a.40.2',
        resolution: { width: 1280, height: 720 },
        frameRate: 30000 / 1001,
        uri: '720p/index.m3u8',
      },
      {
        bandwidth: 600_000,
        averageBandwidth: 480_000,
        codecs: 'avc1.640015',
        resolution: { width: 240, height: 426 },
        frameRate: 25,
        uri: '240p/index.m3u8',
      },
    ]);
    expect(master).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '',
        '#EXT-X-STREAM-INF:BANDWIDTH=2891235,AVERAGE-BANDWIDTH=2500000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",FRAME-RATE=29.970',
        '720p/index.m3u8',
        '',
        '#EXT-X-STREAM-INF:BANDWIDTH=600000,AVERAGE-BANDWIDTH=480000,RESOLUTION=240x426,CODECS="avc1.640015",FRAME-RATE=25.000',
        '240p/index.m3u8',
        '',
      ].join('\n'),
    );
  });

  it('writes an audio-only variant without RESOLUTION or FRAME-RATE', () => {
    const master = renderMasterPlaylist([
      {
        bandwidth: 131_000,
        averageBandwidth: 129_500,
        codecs: 'mp4a.40.2',
        frameRate: 30,
        uri: 'audio/index.m3u8',
      },
    ]);
    expect(master.split('\n')[4]).toBe(
      '#EXT-X-STREAM-INF:BANDWIDTH=131000,AVERAGE-BANDWIDTH=129500,CODECS="mp4a.40.2"',
    );
  });

  it('refuses an empty list and URIs that would break the playlist', () => {
    expect(() => renderMasterPlaylist([])).toThrow('at least one');
    const bad = { bandwidth: 1, averageBandwidth: 1, codecs: 'mp4a.40.2', uri: 'a b\n#EXT-X-ENDLIST' };
    expect(() => renderMasterPlaylist([bad])).toThrow('unsafe variant URI');
  });
});

describe('avcCodecFromInit', () => {
  const box = (type: string, body: number[]) => {
    const size = 8 + body.length;
    return [
      size >>> 24,
      (size >>> 16) & 255,
      (size >>> 8) & 255,
      size & 255,
      ...new TextEncoder().encode(type),
      ...body,
    ];
  };

  it('reads profile, constraint flags and level from the avcC box', () => {
    const init = Uint8Array.from([
      ...box('ftyp', [0x69, 0x73, 0x6f, 0x35]),
      ...box('avcC', [1, 0x64, 0x00, 0x28, 0xff, 0xe1]),
    ]);
    expect(avcCodecFromInit(init)).toBe('avc1.640028');
    expect(avcCodecFromInit(Uint8Array.from(box('avcC', [1, 0x42, 0xc0, 0x1e])))).toBe('avc1.42c01e');
  });

  it('skips look-alikes and returns null without an avcC box', () => {
    const fake = Uint8Array.from([...box('free', [...new TextEncoder().encode('avcC'), 7, 7, 7, 7])]);
    expect(avcCodecFromInit(fake)).toBeNull();
    expect(avcCodecFromInit(Uint8Array.from(box('mp4a', [0, 0, 0, 0])))).toBeNull();
    expect(avcCodecFromInit(new Uint8Array(0))).toBeNull();
  });
});

describe('aacCodecString', () => {
  it('maps ffprobe AAC profiles to RFC 6381 object types', () => {
    expect(aacCodecString('LC')).toBe('mp4a.40.2');
    expect(aacCodecString('HE-AAC')).toBe('mp4a.40.5');
    expect(aacCodecString('HE-AACv2')).toBe('mp4a.40.29');
    expect(aacCodecString()).toBe('mp4a.40.2');
  });
});
