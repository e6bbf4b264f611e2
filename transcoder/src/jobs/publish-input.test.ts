import { describe, expect, it } from 'vitest';
import { uploadOrder } from './publish-input.js';

describe('uploadOrder', () => {
  it('uploads media, then media playlists and the VTT, and the master last (exact order)', () => {
    const files = [
      'master.m3u8',
      '720p/index.m3u8',
      '720p/init.mp4',
      '720p/seg_00001.m4s',
      '360p/index.m3u8',
      '360p/init.mp4',
      'thumbnail.jpg',
      'storyboard.jpg',
      'storyboard.vtt',
    ];
    expect(uploadOrder(files)).toEqual([
      '720p/init.mp4',
      '720p/seg_00001.m4s',
      '360p/init.mp4',
      'thumbnail.jpg',
      'storyboard.jpg',
      '720p/index.m3u8',
      '360p/index.m3u8',
      'storyboard.vtt',
      'master.m3u8',
    ]);
    expect(files[0]).toBe('master.m3u8'); // the input is left as it was
  });
});
