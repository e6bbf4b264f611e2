import { HLS_FILES } from '../../../protocol/media.js';

/** Storyboard sprites hold at most this many tiles, so the image stays one small download. */
export const MAX_STORYBOARD_TILES = 100;
/** Longest side of one tile in pixels (landscape: width, portrait: height). */
export const STORYBOARD_TILE_SIZE = 160;
/** Tiles per row of the sprite. */
export const STORYBOARD_COLUMNS = 10;

/** Where each preview tile sits in the sprite and how often one is taken. */
export interface StoryboardLayout {
  intervalSeconds: number;
  count: number;
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
}

/**
 * One tile every whole number of seconds (at least 1 s), spaced so there are at most
 * MAX_STORYBOARD_TILES; tiles keep the video's shape with even sides.
 */
export function planStoryboard(durationSeconds: number, width: number, height: number): StoryboardLayout {
  const intervalSeconds = Math.max(1, Math.ceil(durationSeconds / MAX_STORYBOARD_TILES));
  const count = Math.min(MAX_STORYBOARD_TILES, Math.max(1, Math.ceil(durationSeconds / intervalSeconds)));
  const columns = Math.min(STORYBOARD_COLUMNS, count);
  const scale = STORYBOARD_TILE_SIZE / Math.max(width, height);
  return {
    intervalSeconds,
    count,
    columns,
    rows: Math.ceil(count / columns),
    tileWidth: Math.max(2, Math.round((width * scale) / 2) * 2),
    tileHeight: Math.max(2, Math.round((height * scale) / 2) * 2),
  };
}

/**
 * WebVTT that maps each time range to its tile (`<image>#xywh=x,y,w,h`, the image relative to the
 * VTT, so the pair can be served from anywhere), the format players
 * such as Video.js and Vidstack read for seek-bar previews. The last cue ends at the video's end.
 */
export function renderStoryboardVtt(
  layout: StoryboardLayout,
  durationSeconds: number,
  image: string = HLS_FILES.storyboardImage,
): string {
  const cues: string[] = [];
  for (let i = 0; i < layout.count; i++) {
    const start = i * layout.intervalSeconds;
    if (start >= durationSeconds) break;
    const end = Math.min(start + layout.intervalSeconds, durationSeconds);
    const x = (i % layout.columns) * layout.tileWidth;
    const y = Math.floor(i / layout.columns) * layout.tileHeight;
    cues.push(
      `${vttTime(start)} --> ${vttTime(end)}\n${image}#xywh=${x},${y},${layout.tileWidth},${layout.tileHeight}`,
    );
  }
  return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}

/** `HH:MM:SS.mmm`, the only timestamp form every WebVTT parser accepts. */
export function vttTime(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}
