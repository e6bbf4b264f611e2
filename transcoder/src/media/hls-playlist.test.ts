import { describe, expect, it } from 'vitest';
import {
  asVodPlaylist,
  measureBandwidth,
  parseMediaPlaylist,
  playlistDuration,
  renderEventPlaylist,
  withMapUri,
} from './hls-playlist.js';

// As FFmpeg 5.1 writes it with several renditions (init named per variant).
const FFMPEG_PLAYLIST = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:4
#EXT-X-MEDIA-SEQUENCE:1
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="init_1.mp4"
#EXTINF:4.004000,
seg_00001.m4s
#EXTINF:4.004000,
seg_00002.m4s
#EXTINF:1.501000,
seg_00003.m4s
#EXT-X-ENDLIST
`;

describe('parseMediaPlaylist', () => {
  it('reads target duration, init segment and segments of an FFmpeg VOD playlist', () => {
    expect(parseMediaPlaylist(FFMPEG_PLAYLIST)).toEqual({
      targetDuration: 4,
      mapUri: 'init_1.mp4',
      ended: true,
      segments: [
        { uri: 'seg_00001.m4s', durationSeconds: 4.004 },
        { uri: 'seg_00002.m4s', durationSeconds: 4.004 },
        { uri: 'seg_00003.m4s', durationSeconds: 1.501 },
      ],
    });
    expect(playlistDuration(parseMediaPlaylist(FFMPEG_PLAYLIST))).toBeCloseTo(9.509, 6);
  });

  it('accepts CRLF and notices a playlist FFmpeg has not finished', () => {
    const open = FFMPEG_PLAYLIST.replace('#EXT-X-ENDLIST\n', '').replaceAll('\n', '\r\n');
    expect(parseMediaPlaylist(open)).toMatchObject({ ended: false, mapUri: 'init_1.mp4' });
  });

  it('refuses text that is not a media playlist', () => {
    expect(() => parseMediaPlaylist('hello')).toThrow('#EXTM3U');
    expect(() => parseMediaPlaylist('#EXTM3U\n#EXTINF:4,\nseg.m4s\n')).toThrow('TARGETDURATION');
    expect(() => parseMediaPlaylist('#EXTM3U\n#EXT-X-TARGETDURATION:4\nseg.m4s\n')).toThrow(
      'without #EXTINF',
    );
  });
});

describe('withMapUri', () => {
  it('renames the init segment and changes nothing else', () => {
    const renamed = withMapUri(FFMPEG_PLAYLIST, 'init.mp4');
    expect(renamed).toBe(FFMPEG_PLAYLIST.replace('init_1.mp4', 'init.mp4'));
    expect(parseMediaPlaylist(renamed).mapUri).toBe('init.mp4');
  });
});

describe('measureBandwidth', () => {
  it('reports the busiest segment as peak and the whole-file mean as average', () => {
    const segments = [
      { durationSeconds: 4, bytes: 500_000 },
      { durationSeconds: 4, bytes: 1_000_000 },
      { durationSeconds: 2, bytes: 250_000 },
    ];
    expect(measureBandwidth(segments)).toEqual({ peak: 2_000_000, average: 1_400_000 });
  });

  it('leaves a sub-second final stub out of the peak', () => {
    const segments = [
      { durationSeconds: 4, bytes: 1_000_000 },
      { durationSeconds: 4, bytes: 500_000 },
      { durationSeconds: 0.2, bytes: 60_000 },
    ];
    // The stub alone would claim 2.4 Mbit/s.
    expect(measureBandwidth(segments)).toEqual({ peak: 2_000_000, average: 1_521_952 });
  });

  it('measures a single short segment as it is', () => {
    expect(measureBandwidth([{ durationSeconds: 0.5, bytes: 10_000 }])).toEqual({
      peak: 160_000,
      average: 160_000,
    });
  });

  it('never reports a peak below the average and refuses nothing to measure', () => {
    const result = measureBandwidth([
      { durationSeconds: 4, bytes: 400_000 },
      { durationSeconds: 0.5, bytes: 400_000 },
    ]);
    expect(result.peak).toBeGreaterThanOrEqual(result.average);
    expect(() => measureBandwidth([])).toThrow('no segments');
    expect(() => measureBandwidth([{ durationSeconds: 0, bytes: 1 }])).toThrow('no segments');
  });
});

describe('renderEventPlaylist', () => {
  it('lists the finished segments under our init name, without ENDLIST (exact output)', () => {
    const text = renderEventPlaylist({
      targetDuration: 4,
      mapUri: 'init.mp4',
      segments: [
        { uri: 'seg_00001.m4s', durationSeconds: 4.004 },
        { uri: 'seg_00002.m4s', durationSeconds: 4.004 },
      ],
    });
    expect(text).toBe(`#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:4
#EXT-X-MEDIA-SEQUENCE:1
#EXT-X-PLAYLIST-TYPE:EVENT
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="init.mp4"
#EXTINF:4.004000,
seg_00001.m4s
#EXTINF:4.004000,
seg_00002.m4s
`);
    expect(parseMediaPlaylist(text).ended).toBe(false);
  });

  it('refuses URIs that are not plain file names', () => {
    const segments = [{ uri: '../x/seg_00001.m4s', durationSeconds: 4 }];
    expect(() => renderEventPlaylist({ targetDuration: 4, mapUri: 'init.mp4', segments })).toThrow('unsafe');
    expect(() => renderEventPlaylist({ targetDuration: 4, mapUri: 'a"b', segments: [] })).toThrow('unsafe');
  });
});

describe('asVodPlaylist', () => {
  it('relabels a finished EVENT playlist VOD and leaves a VOD one alone', () => {
    const event = FFMPEG_PLAYLIST.replace('PLAYLIST-TYPE:VOD', 'PLAYLIST-TYPE:EVENT');
    expect(asVodPlaylist(event)).toBe(FFMPEG_PLAYLIST);
    expect(asVodPlaylist(FFMPEG_PLAYLIST)).toBe(FFMPEG_PLAYLIST);
  });
});
