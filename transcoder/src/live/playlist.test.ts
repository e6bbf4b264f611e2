import { describe, expect, it } from 'vitest';
import {
  renderMediaPlaylist,
  renditionReportOf,
  skippedSegments,
} from '../../../protocol/live-hls/playlist.js';
import { CLOCK, recordingPackager } from './test-fragments.js';

const HEADER = `#EXTM3U
#EXT-X-VERSION:9
#EXT-X-TARGETDURATION:1
#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.60000,CAN-SKIP-UNTIL=6.00000
#EXT-X-PART-INF:PART-TARGET=0.20000
`;

/** The five parts and EXTINF of a finished 1 s segment `n`. */
const fullSegment = (n: number, second: number) => {
  const msn = String(n).padStart(5, '0');
  return `#EXT-X-PROGRAM-DATE-TIME:2026-12-01T12:00:${String(second).padStart(2, '0')}.000Z
#EXT-X-PART:DURATION=0.20000,URI="part_${msn}_0.m4s",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.20000,URI="part_${msn}_1.m4s"
#EXT-X-PART:DURATION=0.20000,URI="part_${msn}_2.m4s"
#EXT-X-PART:DURATION=0.20000,URI="part_${msn}_3.m4s"
#EXT-X-PART:DURATION=0.20000,URI="part_${msn}_4.m4s"
#EXTINF:1.00000,
seg_${msn}.m4s
`;
};
/** A segment old enough to be listed without its parts. */
const bareSegment = (n: number, second: number) =>
  `#EXT-X-PROGRAM-DATE-TIME:2026-12-01T12:00:${String(second).padStart(2, '0')}.000Z
#EXTINF:1.00000,
seg_${String(n).padStart(5, '0')}.m4s
`;

describe('renderMediaPlaylist', () => {
  it('lists the first part alone, with a preload hint for the next', () => {
    const { packager, feed } = recordingPackager();
    feed(1);
    expect(renderMediaPlaylist(packager.state)).toBe(`${HEADER}#EXT-X-MEDIA-SEQUENCE:1
#EXT-X-MAP:URI="init.mp4"
#EXT-X-PROGRAM-DATE-TIME:2026-12-01T12:00:00.000Z
#EXT-X-PART:DURATION=0.20000,URI="part_00001_0.m4s",INDEPENDENT=YES
#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00001_1.m4s"
`);
  });

  it('lists a finished segment with its parts, then the segment in progress', () => {
    const { packager, feed } = recordingPackager();
    feed(7);
    expect(renderMediaPlaylist(packager.state)).toBe(`${HEADER}#EXT-X-MEDIA-SEQUENCE:1
#EXT-X-MAP:URI="init.mp4"
${fullSegment(1, 0)}#EXT-X-PROGRAM-DATE-TIME:2026-12-01T12:00:01.000Z
#EXT-X-PART:DURATION=0.20000,URI="part_00002_0.m4s",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.20000,URI="part_00002_1.m4s"
#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00002_2.m4s"
`);
  });

  const afterEightSegments = () => {
    const recorder = recordingPackager();
    recorder.feed(42); // 8 segments of 1 s and two parts of the ninth
    return recorder;
  };
  const liveEdge = `#EXT-X-PROGRAM-DATE-TIME:2026-12-01T12:00:08.000Z
#EXT-X-PART:DURATION=0.20000,URI="part_00009_0.m4s",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.20000,URI="part_00009_1.m4s"
#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00009_2.m4s"
`;

  it('keeps a window of 7 segments, with parts only near the live edge', () => {
    const { packager, segments } = afterEightSegments();
    expect(segments.map((s) => s.msn)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(renderMediaPlaylist(packager.state)).toBe(
      `${HEADER}#EXT-X-MEDIA-SEQUENCE:2
#EXT-X-MAP:URI="init.mp4"
${bareSegment(2, 1)}${bareSegment(3, 2)}${bareSegment(4, 3)}${bareSegment(5, 4)}${bareSegment(6, 5)}${fullSegment(7, 6)}${fullSegment(8, 7)}${liveEdge}`,
    );
  });

  it('renders a delta update that skips what lies before CAN-SKIP-UNTIL', () => {
    const { packager } = afterEightSegments();
    // 7.4 s in the window, 6 s may not be skipped: segment 2 (0 to 1 s) goes.
    expect(skippedSegments(packager.state)).toBe(1);
    expect(renderMediaPlaylist(packager.state, { skip: true })).toBe(
      `${HEADER}#EXT-X-MEDIA-SEQUENCE:2
#EXT-X-SKIP:SKIPPED-SEGMENTS=1
#EXT-X-MAP:URI="init.mp4"
${bareSegment(3, 2)}${bareSegment(4, 3)}${bareSegment(5, 4)}${bareSegment(6, 5)}${fullSegment(7, 6)}${fullSegment(8, 7)}${liveEdge}`,
    );
  });

  it('skips nothing while the window is shorter than CAN-SKIP-UNTIL', () => {
    const { packager, feed } = recordingPackager();
    feed(7);
    expect(skippedSegments(packager.state)).toBe(0);
    expect(renderMediaPlaylist(packager.state, { skip: true })).toBe(renderMediaPlaylist(packager.state));
  });

  it('marks a reconnect with EXT-X-DISCONTINUITY and a new program date time', () => {
    let now = CLOCK;
    const { packager, feed, restart } = recordingPackager({ now: () => now });
    feed(7);
    packager.discontinuity();
    now = CLOCK + 10_000;
    restart();
    feed(2);
    expect(renderMediaPlaylist(packager.state)).toBe(`${HEADER}#EXT-X-MEDIA-SEQUENCE:1
#EXT-X-MAP:URI="init.mp4"
${fullSegment(1, 0)}#EXT-X-PROGRAM-DATE-TIME:2026-12-01T12:00:01.000Z
#EXT-X-PART:DURATION=0.20000,URI="part_00002_0.m4s",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.20000,URI="part_00002_1.m4s"
#EXTINF:0.40000,
seg_00002.m4s
#EXT-X-DISCONTINUITY
#EXT-X-PROGRAM-DATE-TIME:2026-12-01T12:00:10.000Z
#EXT-X-PART:DURATION=0.20000,URI="part_00003_0.m4s",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.20000,URI="part_00003_1.m4s"
#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00003_2.m4s"
`);
  });

  it('counts discontinuities that left the window, and maps a changed init where it starts', () => {
    let now = CLOCK;
    const { packager, feed, restart, inits } = recordingPackager({ now: () => now });
    feed(5);
    packager.discontinuity();
    packager.pushInit({ kind: 'init', bytes: Uint8Array.of(9), trackId: 1, timescale: 1000 });
    now = CLOCK + 1000;
    restart();
    feed(41); // 8 more finished segments: 1 and 2 (the one after the discontinuity) leave the window
    expect(inits).toEqual(['init.mp4', 'init_1.mp4']);
    const text = renderMediaPlaylist(packager.state);
    expect(text).toContain(
      '#EXT-X-MEDIA-SEQUENCE:3\n#EXT-X-DISCONTINUITY-SEQUENCE:1\n#EXT-X-MAP:URI="init_1.mp4"\n',
    );
    expect(text).not.toContain('#EXT-X-DISCONTINUITY\n');
  });

  it('maps each init where it starts to apply', () => {
    const { packager, feed } = recordingPackager();
    feed(5);
    packager.discontinuity();
    packager.pushInit({ kind: 'init', bytes: Uint8Array.of(9), trackId: 1, timescale: 1000 });
    feed(5);
    expect(renderMediaPlaylist(packager.state)).toContain(
      'seg_00001.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init_1.mp4"\n#EXT-X-PROGRAM-DATE-TIME:',
    );
  });

  it('ends with EXT-X-ENDLIST and no preload hint, and carries rendition reports', () => {
    const { packager, feed } = recordingPackager();
    feed(3);
    packager.end();
    const report = { uri: '../720p/index.m3u8', lastMsn: 4, lastPart: 2 };
    expect(
      renderMediaPlaylist(packager.state, { renditionReports: [report] }),
    ).toBe(`${HEADER}#EXT-X-MEDIA-SEQUENCE:1
#EXT-X-MAP:URI="init.mp4"
#EXT-X-PROGRAM-DATE-TIME:2026-12-01T12:00:00.000Z
#EXT-X-PART:DURATION=0.20000,URI="part_00001_0.m4s",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.20000,URI="part_00001_1.m4s"
#EXT-X-PART:DURATION=0.20000,URI="part_00001_2.m4s"
#EXTINF:0.60000,
seg_00001.m4s
#EXT-X-RENDITION-REPORT:URI="../720p/index.m3u8",LAST-MSN=4,LAST-PART=2
#EXT-X-ENDLIST
`);
  });

  it('follows a 2 s keyframe interval: 2 s segments, target duration 2, CAN-SKIP-UNTIL 12', () => {
    const { packager, feed } = recordingPackager();
    feed(21, 10);
    const text = renderMediaPlaylist(packager.state);
    expect(text).toContain('#EXT-X-TARGETDURATION:2\n');
    expect(text).toContain('CAN-SKIP-UNTIL=12.00000\n');
    expect(text.match(/#EXTINF:[\d.]+/g)).toEqual(['#EXTINF:2.00000', '#EXTINF:2.00000']);
    expect(text.match(/INDEPENDENT=YES/g)).toHaveLength(3);
  });
});

describe('renditionReportOf', () => {
  it('reports the last part, in progress or finished, and nothing before the first', () => {
    const { packager, feed } = recordingPackager();
    expect(renditionReportOf(packager.state, 'a')).toBeUndefined();
    feed(7);
    expect(renditionReportOf(packager.state, '../360p/index.m3u8')).toEqual({
      uri: '../360p/index.m3u8',
      lastMsn: 2,
      lastPart: 1,
    });
    packager.end();
    expect(renditionReportOf(packager.state, 'a')).toMatchObject({ lastMsn: 2, lastPart: 1 });
  });
});
