import { describe, expect, it } from 'vitest';
import { GROWING_PLAYLIST_TTL, playlistTtl } from './serve.js';

const object = (text: string) => ({
  status: 200,
  headers: new Headers(),
  body: new TextEncoder().encode(text).buffer as ArrayBuffer,
});
const EVENT = '#EXTM3U\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:4.0,\nseg_00001.m4s\n';

describe('playlistTtl', () => {
  it('keeps a growing (EVENT) playlist for seconds, so players see its next segments', () => {
    expect(GROWING_PLAYLIST_TTL).toBe(2);
    expect(playlistTtl(object(EVENT))).toBe(2);
  });
  it('keeps an ended playlist, a VOD one and a master for a day (a republish changes the key)', () => {
    expect(playlistTtl(object(`${EVENT}#EXT-X-ENDLIST\n`))).toBe(86_400);
    expect(playlistTtl(object(EVENT.replace('EVENT', 'VOD')))).toBe(86_400);
    expect(playlistTtl(object('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n240p/index.m3u8\n'))).toBe(86_400);
  });
});
