import { describe, expect, it } from 'vitest';
import {
  contentTypeOf,
  HLS_DIR,
  HLS_FILES,
  hlsFileKind,
  hlsKey,
  initName,
  isPlaylist,
  isPublishedKey,
  PART_PATTERN,
  PLAYBACK_AUDIENCES,
  PREVIEW_RENDITION,
  partName,
  playbackObjectKey,
  playbackPath,
  renditionFile,
  SEGMENT_PATTERN,
  STORAGE_PREFIXES,
  segmentName,
  sourceKey,
  sourcePrefix,
  videoObjectKey,
  videoPrefix,
} from './media.js';

const ID = '0b9f1c2e-7d4a-4e1b-9c3f-5a6b7c8d9e0f';

describe('storage keys', () => {
  it('spells the namespace exactly', () => {
    expect(STORAGE_PREFIXES).toEqual({ sources: 'sources/', videos: 'videos/' });
    expect(sourceKey(ID)).toBe(`sources/${ID}/original`);
    expect(sourcePrefix(ID)).toBe(`sources/${ID}/`);
    expect(videoPrefix(ID)).toBe(`videos/${ID}/`);
    expect(videoObjectKey(ID, 'hls/master.m3u8')).toBe(`videos/${ID}/hls/master.m3u8`);
    expect(sourceKey(ID).startsWith(sourcePrefix(ID))).toBe(true);
  });

  it('names HLS files exactly as FFmpeg writes them and players request them', () => {
    expect(HLS_DIR).toBe('hls/');
    expect(HLS_FILES).toEqual({
      master: 'master.m3u8',
      mediaPlaylist: 'index.m3u8',
      init: 'init.mp4',
      thumbnail: 'thumbnail.jpg',
      storyboardImage: 'storyboard.jpg',
      storyboardVtt: 'storyboard.vtt',
    });
    expect(PREVIEW_RENDITION).toBe('source');
    expect(SEGMENT_PATTERN).toBe('seg_%05d.m4s');
    expect(PART_PATTERN).toBe('part_%05d_%d.m4s');
    expect(segmentName(1)).toBe('seg_00001.m4s');
    expect(segmentName(123456)).toBe('seg_123456.m4s');
    expect(partName(42, 0)).toBe('part_00042_0.m4s');
    expect(partName(42, 11)).toBe('part_00042_11.m4s');
    expect(initName(0)).toBe('init.mp4');
    expect(initName(2)).toBe('init_2.mp4');
    expect(renditionFile('720p', HLS_FILES.mediaPlaylist)).toBe('720p/index.m3u8');
    expect(hlsKey(renditionFile('720p', segmentName(3)))).toBe('hls/720p/seg_00003.m4s');
  });
});

describe('playbackObjectKey', () => {
  it('maps each audience to its own files, under the HLS folder', () => {
    const allowed: Array<[(typeof PLAYBACK_AUDIENCES)[number], string]> = [
      ['hls', 'master.m3u8'],
      ['hls', '720p/index.m3u8'],
      ['hls', '720p/init.mp4'],
      ['hls', 'source/init_1.mp4'],
      ['hls', '720p/seg_00042.m4s'],
      ['hls', 'source/seg_00001.m4s'],
      ['hls', 'audio/part_00042_3.m4s'],
      ['hls', `${'a'.repeat(24)}/index.m3u8`],
      ['thumbnail', 'thumbnail.jpg'],
      ['storyboard', 'storyboard.vtt'],
      ['storyboard', 'storyboard.jpg'],
    ];
    for (const [audience, path] of allowed) expect(playbackObjectKey(audience, path)).toBe(`hls/${path}`);
  });

  it('refuses traversal, encodings, deep paths, long rendition names and other files', () => {
    for (const path of [
      '../x',
      '../master.m3u8',
      '720p/../../x',
      '720p/../master.m3u8',
      '%2e%2e/master.m3u8',
      '%2e%2e%2fmaster.m3u8',
      '..%2f..%2fx',
      '720p%2findex.m3u8',
      '/etc/passwd',
      '/master.m3u8',
      'a/b/c/index.m3u8',
      'a/b/index.m3u8',
      'a/b/c.m4s',
      `${'a'.repeat(25)}/index.m3u8`,
      '720P/index.m3u8',
      '720p\\index.m3u8',
      '720p/seg_1.m4s/..',
      '720p/seg_0000001.m4s',
      '720p/seg_.m4s',
      '720p/part_00001.m4s',
      '720p/part_00001_1234.m4s',
      '720p/init_.mp4',
      '720p/init_12345.mp4',
      '720p/index.m3u8?x=1',
      'master.m3u8 ',
      '720p/',
      'index.m3u8',
      'init.mp4',
      'hls/master.m3u8',
      '',
    ]) {
      for (const audience of PLAYBACK_AUDIENCES)
        expect(playbackObjectKey(audience, path), path).toBeUndefined();
    }
    expect(playbackObjectKey('hls', 'thumbnail.jpg')).toBeUndefined();
    expect(playbackObjectKey('hls', 'storyboard.vtt')).toBeUndefined();
    expect(playbackObjectKey('thumbnail', 'master.m3u8')).toBeUndefined();
    expect(playbackObjectKey('thumbnail', 'storyboard.jpg')).toBeUndefined();
    expect(playbackObjectKey('storyboard', 'thumbnail.jpg')).toBeUndefined();
    expect(playbackObjectKey('storyboard', '720p/seg_00001.m4s')).toBeUndefined();
  });
});

describe('playbackPath', () => {
  it('is the inverse of playbackObjectKey for stored keys', () => {
    expect(playbackPath('hls', 'hls/master.m3u8')).toBe('master.m3u8');
    expect(playbackPath('thumbnail', 'hls/thumbnail.jpg')).toBe('thumbnail.jpg');
    expect(playbackPath('storyboard', 'hls/storyboard.vtt')).toBe('storyboard.vtt');
    for (const audience of PLAYBACK_AUDIENCES) {
      for (const path of ['master.m3u8', '720p/seg_00001.m4s', 'thumbnail.jpg', 'storyboard.jpg']) {
        const key = playbackObjectKey(audience, path);
        if (key) expect(playbackPath(audience, key)).toBe(path);
      }
    }
  });

  it('refuses keys the audience could not open: absolute, outside the HLS folder, another kind', () => {
    expect(playbackPath('hls', `videos/${ID}/hls/master.m3u8`)).toBeUndefined();
    expect(playbackPath('hls', 'master.m3u8')).toBeUndefined();
    expect(playbackPath('hls', 'hls/../master.m3u8')).toBeUndefined();
    expect(playbackPath('hls', 'hls/thumbnail.jpg')).toBeUndefined();
    expect(playbackPath('thumbnail', 'hls/master.m3u8')).toBeUndefined();
    expect(playbackPath('storyboard', 'live/storyboard.vtt')).toBeUndefined();
  });
});

describe('isPublishedKey', () => {
  it('accepts files under a video prefix only', () => {
    expect(isPublishedKey(`videos/${ID}/hls/master.m3u8`)).toBe(true);
    expect(isPublishedKey(`videos/${ID}/hls/720p/seg_00001.m4s`)).toBe(true);
    for (const key of [
      `sources/${ID}/original`,
      `videos/${ID}/`,
      `videos/${ID}`,
      `videos/${ID}/../../sources/${ID}/original`,
      `videos/${ID}/hls/../x`,
      `videos/${ID}/hls/./x`,
      `videos/${ID}/hls//x`,
      `videos/${ID}/.hidden`,
      `videos/${ID}/hls/x/`,
      `videos/${ID}/hls/a%2f..`,
      `videos/${ID.toUpperCase()}/hls/master.m3u8`,
      'videos/not-a-uuid/hls/master.m3u8',
      `/videos/${ID}/hls/master.m3u8`,
      `xvideos/${ID}/hls/master.m3u8`,
    ]) {
      expect(isPublishedKey(key), key).toBe(false);
    }
  });
});

describe('contentTypeOf and isPlaylist', () => {
  it.each([
    ['hls/master.m3u8', 'application/vnd.apple.mpegurl'],
    [`videos/${ID}/hls/720p/seg_00001.m4s`, 'video/iso.segment'],
    ['hls/720p/part_00001_0.m4s', 'video/iso.segment'],
    ['hls/720p/init.mp4', 'video/mp4'],
    ['hls/THUMBNAIL.JPG', 'image/jpeg'],
    ['hls/storyboard.vtt', 'text/vtt'],
    ['info.json', 'application/json'],
    [`sources/${ID}/original`, 'application/octet-stream'],
    ['videos/v.d/.hidden', 'application/octet-stream'],
    ['', 'application/octet-stream'],
  ])('%s is %s', (key, type) => {
    expect(contentTypeOf(key)).toBe(type);
  });

  it('treats playlists and the storyboard VTT as mutable, everything else as immutable', () => {
    expect(isPlaylist('hls/master.m3u8')).toBe(true);
    expect(isPlaylist('hls/720p/index.m3u8')).toBe(true);
    expect(isPlaylist('hls/storyboard.vtt')).toBe(true);
    expect(isPlaylist('hls/720p/seg_00001.m4s')).toBe(false);
    expect(isPlaylist('hls/storyboard.jpg')).toBe(false);
    expect(isPlaylist('hls/720p/init.mp4')).toBe(false);
  });
});

describe('hlsFileKind', () => {
  it('names what a live rendition file is, from the names the packager writes', () => {
    expect(hlsFileKind('source', 'index.m3u8')).toBe('playlist');
    expect(hlsFileKind('source', initName(0))).toBe('init');
    expect(hlsFileKind('720p', initName(3))).toBe('init');
    expect(hlsFileKind('720p', segmentName(12))).toBe('segment');
    expect(hlsFileKind('720p', partName(12, 4))).toBe('part');
  });

  it('refuses anything else, and rendition names outside the pattern', () => {
    for (const [rendition, file] of [
      ['source', 'master.m3u8'],
      ['source', '../seg_00001.m4s'],
      ['source', 'seg_1.mp4'],
      ['Source', 'init.mp4'],
      ['..', 'init.mp4'],
      ['a/b', 'init.mp4'],
      ['source', 'part_00001.m4s'],
    ] as const) {
      expect(hlsFileKind(rendition, file)).toBeUndefined();
    }
  });
});
