/** Assertions shared by the real-FFmpeg ladder tests (not a test file itself). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parseMediaPlaylist } from '../src/media/hls-playlist.js';
import type { TranscodeResult } from '../src/media/types.js';
import { walk } from './clips.js';

/** The master's variants as attribute maps plus URI, parsed the way a player would. */
export function parseMaster(text: string): Array<{ attributes: Record<string, string>; uri: string }> {
  const lines = text.trim().split('\n');
  expect(lines.slice(0, 3)).toEqual(['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS']);
  const variants: Array<{ attributes: Record<string, string>; uri: string }> = [];
  lines.forEach((line, i) => {
    if (!line.startsWith('#EXT-X-STREAM-INF:')) return;
    const attributes: Record<string, string> = {};
    for (const match of line.slice(18).matchAll(/([A-Z-]+)=("[^"]*"|[^,]*)/g)) {
      attributes[match[1] ?? ''] = (match[2] ?? '').replace(/^"|"$/g, '');
    }
    variants.push({ attributes, uri: lines[i + 1] ?? '' });
  });
  return variants;
}

/** Checks what every ladder must satisfy: files listed, playlists complete, master consistent. */
export async function checkLadder(outDir: string, result: TranscodeResult): Promise<void> {
  expect([...result.files].sort()).toEqual(await walk(outDir));
  const variants = parseMaster(await readFile(join(outDir, 'master.m3u8'), 'utf8'));
  expect(variants.map((v) => v.uri)).toEqual(result.renditions.map((r) => r.playlist));
  for (const [i, rendition] of result.renditions.entries()) {
    const attributes = variants[i]?.attributes ?? {};
    expect(Number(attributes.BANDWIDTH)).toBe(rendition.bitrate);
    expect(Number(attributes['AVERAGE-BANDWIDTH'])).toBe(rendition.averageBitrate);
    expect(rendition.bitrate).toBeGreaterThanOrEqual(rendition.averageBitrate);
    expect(attributes.CODECS).toBe(rendition.codecs);
    const playlist = parseMediaPlaylist(await readFile(join(outDir, rendition.playlist), 'utf8'));
    expect(playlist).toMatchObject({ ended: true, mapUri: 'init.mp4' });
    expect(playlist.segments[0]?.uri).toBe('seg_00001.m4s');
  }
}

/** avc1.PPCCLL must agree with what ffprobe reads from the encoded stream. */
export function expectCodecMatches(codecs: string, stream: Record<string, unknown>): void {
  const level = Number(stream.level).toString(16).padStart(2, '0');
  const profile = { High: '64', Main: '4d', 'Constrained Baseline': '42', Baseline: '42' }[
    String(stream.profile)
  ];
  expect(codecs).toMatch(new RegExp(`^avc1\\.${profile}[0-9a-f]{2}${level}(,|$)`));
}
