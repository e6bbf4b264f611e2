import { describe, expect, it } from 'vitest';
import { peertubeFragmentedName, peertubeHlsFile, peertubeMasterName, peertubeVariantName } from './media.js';
import {
  fragmentedParts,
  heightsOf,
  newPipeStreamUrls,
  peertubeStreamingPlaylists,
  rebaseMediaPlaylist,
  variantUriForHeight,
} from './peertube.js';

const ID = '0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90';
const OTHER = '4f1c2b7e-3d5a-4e8f-9a6b-1c2d3e4f5a6b';
const BASE = 'https://vidra.example/play/aaa.bbb.ccc';
const LADDER = [
  { width: 426, height: 240, bitrate: 400_000 },
  { width: 1280, height: 720, bitrate: 2_500_000 },
  { width: 1280, height: 720, bitrate: 4_000_000 },
];

describe('PeerTube-style HLS names', () => {
  it('spells and parses the three names, for this video only', () => {
    expect(peertubeMasterName(ID)).toBe(`${ID}-master.m3u8`);
    expect(peertubeVariantName(ID, 720)).toBe(`${ID}-720.m3u8`);
    expect(peertubeFragmentedName(ID, 720)).toBe(`${ID}-720-fragmented.mp4`);
    expect(peertubeHlsFile(ID, `${ID}-master.m3u8`)).toEqual({ kind: 'master' });
    expect(peertubeHlsFile(ID, `${ID}-720.m3u8`)).toEqual({ kind: 'variant', height: 720 });
    expect(peertubeHlsFile(ID, `${ID}-720-fragmented.mp4`)).toEqual({ kind: 'fragmented', height: 720 });
    for (const refused of [
      `${OTHER}-720.m3u8`,
      `${ID}-0.m3u8`,
      `${ID}-720-fragmented.m3u8`,
      `${ID}-720.mp4`,
      `../${ID}-720.m3u8`,
      `${ID}-master.mp4`,
      'master.m3u8',
      `${ID}-123456.m3u8`,
    ])
      expect(peertubeHlsFile(ID, refused), refused).toBeUndefined();
  });
});

describe('streamingPlaylists', () => {
  it('lists one file per height, tallest first, the highest bitrate winning', () => {
    expect(heightsOf(LADDER)).toEqual([LADDER[2], LADDER[0]]);
    expect(peertubeStreamingPlaylists(BASE, ID, [])).toEqual([]);
  });

  it('builds URLs whose NewPipe derivation lands on the variant names', () => {
    const playlists = peertubeStreamingPlaylists(BASE, ID, LADDER);
    expect(playlists).toEqual([
      {
        id: 1,
        type: 1,
        playlistUrl: `${BASE}/${ID}-master.m3u8`,
        segmentsSha256Url: null,
        redundancies: [],
        files: [720, 240].map((height, i) => ({
          id: i + 1,
          resolution: { id: height, label: `${height}p` },
          width: height === 720 ? 1280 : 426,
          height,
          size: 0,
          fps: 0,
          fileUrl: `${BASE}/${ID}-${height}-fragmented.mp4`,
          fileDownloadUrl: `${BASE}/${ID}-${height}-fragmented.mp4`,
          torrentUrl: '',
          torrentDownloadUrl: '',
          magnetUri: '',
          metadataUrl: '',
        })),
      },
    ]);
    expect(newPipeStreamUrls({ streamingPlaylists: playlists })).toEqual([
      {
        master: `${BASE}/${ID}-master.m3u8`,
        progressive: [`${BASE}/${ID}-720-fragmented.mp4`, `${BASE}/${ID}-240-fragmented.mp4`],
        hls: [`${BASE}/${ID}-720.m3u8`, `${BASE}/${ID}-240.m3u8`],
      },
    ]);
    // Every derived name parses back to this video's file of that height.
    for (const url of newPipeStreamUrls({ streamingPlaylists: playlists })[0]?.hls ?? [])
      expect(peertubeHlsFile(ID, url.slice(BASE.length + 1))?.kind).toBe('variant');
  });

  it("derives as old NewPipe did when the master is not '-master.m3u8'", () => {
    const old = {
      playlistUrl: 'https://x/hls/master.m3u8',
      files: [{ fileUrl: 'https://x/a.mp4', resolution: { id: 480 } }],
    };
    expect(newPipeStreamUrls({ streamingPlaylists: [old] })[0]?.hls).toEqual(['https://x/hls/480.m3u8']);
  });
});

const MASTER = [
  '#EXTM3U',
  '#EXT-X-VERSION:7',
  '#EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=426x240,CODECS="avc1.64001e,mp4a.40.2"',
  '240p/index.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2"',
  '720p/index.m3u8',
  '',
].join('\n');
const MEDIA = [
  '#EXTM3U',
  '#EXT-X-TARGETDURATION:2',
  '#EXT-X-MAP:URI="init.mp4"',
  '#EXTINF:2.000,',
  'seg_00001.m4s',
  '#EXTINF:1.500,',
  'seg_00002.m4s',
  '#EXT-X-ENDLIST',
  '',
].join('\n');

describe('serving a variant under its PeerTube name', () => {
  it('finds the variant of a height in the master', () => {
    expect(variantUriForHeight(MASTER, 720)).toBe('720p/index.m3u8');
    expect(variantUriForHeight(MASTER, 240)).toBe('240p/index.m3u8');
    expect(variantUriForHeight(MASTER, 1080)).toBeUndefined();
  });

  it('rebases every relative URI onto the rendition folder, leaving absolute ones', () => {
    expect(rebaseMediaPlaylist(MEDIA, '720p/')).toBe(
      MEDIA.replace('URI="init.mp4"', 'URI="720p/init.mp4"').replace(/^seg_/gm, '720p/seg_'),
    );
    expect(rebaseMediaPlaylist('#EXT-X-MAP:URI="https://cdn/init.mp4"\n/abs/seg.m4s\n', '720p/')).toBe(
      '#EXT-X-MAP:URI="https://cdn/init.mp4"\n/abs/seg.m4s\n',
    );
  });

  it('joins init and segments in order, only for a finished fMP4 playlist', () => {
    expect(fragmentedParts(MEDIA)).toEqual(['init.mp4', 'seg_00001.m4s', 'seg_00002.m4s']);
    expect(fragmentedParts(MEDIA.replace('#EXT-X-ENDLIST', ''))).toBeUndefined();
    expect(fragmentedParts(MEDIA.replace('#EXT-X-MAP:URI="init.mp4"\n', ''))).toBeUndefined();
  });
});
