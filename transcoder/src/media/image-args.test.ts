import { describe, expect, it } from 'vitest';
import { buildStoryboardArgs, buildThumbnailArgs, storyboardFilter, thumbnailFilter } from './image-args.js';

const SAFE_INPUT = [
  '-protocol_whitelist',
  'file',
  '-format_whitelist',
  'mov,matroska,avi,flv,mpegts,mpeg,ogg,wav,mp3,aac,flac,asf',
  '-i',
  'file:/in/source',
];
const layout = { intervalSeconds: 3, count: 34, columns: 10, rows: 4, tileWidth: 90, tileHeight: 160 };
const thumbnail = { startSeconds: 4.5, frames: 25, width: 720, height: 1280 };

describe('buildThumbnailArgs', () => {
  it('seeks before opening the input, then picks one frame of the next 25 (exact arguments)', () => {
    // biome-ignore format: one logical option per line
    expect(buildThumbnailArgs({ input: '/in/source', videoInput: '0:0', output: '/out/thumbnail.jpg', thumbnail })).toEqual([
      '-hide_banner', '-nostdin', '-y', '-loglevel', 'error',
      '-ss', '4.5',
      ...SAFE_INPUT,
      '-map', '0:0',
      '-vf', 'thumbnail=25,scale=w=720:h=1280,setsar=1',
      '-frames:v', '1',
      '-fps_mode', 'passthrough', '-c:v', 'mjpeg', '-q:v', '3', '-f', 'image2', '-update', '1', '/out/thumbnail.jpg',
    ]);
  });
});

describe('buildStoryboardArgs', () => {
  it('tiles one frame per interval into a single sprite (exact arguments)', () => {
    // biome-ignore format: one logical option per line
    expect(buildStoryboardArgs({ input: '/in/source', videoInput: '0:v:0', output: '/out/storyboard.jpg', layout })).toEqual([
      '-hide_banner', '-nostdin', '-y', '-loglevel', 'error',
      ...SAFE_INPUT,
      '-map', '0:v:0',
      '-vf', 'fps=1/3,trim=end_frame=34,scale=w=90:h=160,setsar=1,tile=10x4',
      '-fps_mode', 'passthrough', '-c:v', 'mjpeg', '-q:v', '5', '-f', 'image2', '-update', '1', '/out/storyboard.jpg',
    ]);
  });
});

describe('image filters', () => {
  it('caps the storyboard at its tile count so exactly one sprite comes out', () => {
    expect(storyboardFilter({ ...layout, count: 1, columns: 1, rows: 1 })).toBe(
      'fps=1/3,trim=end_frame=1,scale=w=90:h=160,setsar=1,tile=1x1',
    );
  });

  it('limits the poster search to a window of frames inside the ladder graph', () => {
    expect(thumbnailFilter(thumbnail, 135)).toBe(
      'trim=start_frame=135:end_frame=160,thumbnail=25,scale=w=720:h=1280,setsar=1',
    );
    expect(thumbnailFilter(thumbnail)).toBe('thumbnail=25,scale=w=720:h=1280,setsar=1');
  });
});
