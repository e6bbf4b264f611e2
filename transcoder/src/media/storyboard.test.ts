import { describe, expect, it } from 'vitest';
import { planStoryboard, renderStoryboardVtt, vttTime } from './storyboard.js';

describe('planStoryboard', () => {
  it('takes one tile a second for short videos', () => {
    expect(planStoryboard(3, 640, 360)).toEqual({
      intervalSeconds: 1,
      count: 3,
      columns: 3,
      rows: 1,
      tileWidth: 160,
      tileHeight: 90,
    });
  });

  it('never makes more than 100 tiles, widening the interval in whole seconds', () => {
    expect(planStoryboard(100, 1920, 1080)).toMatchObject({
      intervalSeconds: 1,
      count: 100,
      columns: 10,
      rows: 10,
    });
    expect(planStoryboard(101, 1920, 1080)).toMatchObject({
      intervalSeconds: 2,
      count: 51,
      columns: 10,
      rows: 6,
    });
    expect(planStoryboard(3600, 1920, 1080)).toMatchObject({ intervalSeconds: 36, count: 100, rows: 10 });
    expect(planStoryboard(3601, 1920, 1080)).toMatchObject({ intervalSeconds: 37, count: 98, rows: 10 });
  });

  it('keeps at least one tile for a very short video', () => {
    expect(planStoryboard(0.4, 640, 360)).toMatchObject({
      intervalSeconds: 1,
      count: 1,
      columns: 1,
      rows: 1,
    });
  });

  it('fits portrait and odd shapes in 160 px with even sides', () => {
    expect(planStoryboard(10, 720, 1280)).toMatchObject({ tileWidth: 90, tileHeight: 160 });
    expect(planStoryboard(10, 426, 240)).toMatchObject({ tileWidth: 160, tileHeight: 90 });
    expect(planStoryboard(10, 240, 426)).toMatchObject({ tileWidth: 90, tileHeight: 160 });
    expect(planStoryboard(10, 174, 98)).toMatchObject({ tileWidth: 160, tileHeight: 90 });
  });
});

describe('renderStoryboardVtt', () => {
  it('maps each interval to its tile with #xywh, the last cue ending at the video end', () => {
    const layout = { intervalSeconds: 2, count: 3, columns: 2, rows: 2, tileWidth: 160, tileHeight: 90 };
    expect(renderStoryboardVtt(layout, 5.5)).toBe(
      [
        'WEBVTT',
        '',
        '00:00:00.000 --> 00:00:02.000',
        'storyboard.jpg#xywh=0,0,160,90',
        '',
        '00:00:02.000 --> 00:00:04.000',
        'storyboard.jpg#xywh=160,0,160,90',
        '',
        '00:00:04.000 --> 00:00:05.500',
        'storyboard.jpg#xywh=0,90,160,90',
        '',
      ].join('\n'),
    );
  });

  it('drops tiles that start after the end and can name the image', () => {
    const layout = { intervalSeconds: 1, count: 4, columns: 4, rows: 1, tileWidth: 90, tileHeight: 160 };
    const vtt = renderStoryboardVtt(layout, 3, 'sprite.jpg');
    expect(vtt.match(/-->/g)).toHaveLength(3);
    expect(vtt).toContain('00:00:02.000 --> 00:00:03.000\nsprite.jpg#xywh=180,0,90,160\n');
  });
});

describe('vttTime', () => {
  it('formats hours, minutes, seconds and milliseconds', () => {
    expect(vttTime(0)).toBe('00:00:00.000');
    expect(vttTime(61.5)).toBe('00:01:01.500');
    expect(vttTime(3723.0004)).toBe('01:02:03.000');
    expect(vttTime(359999.999)).toBe('99:59:59.999');
  });
});
