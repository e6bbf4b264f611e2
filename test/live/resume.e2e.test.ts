import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIngestEnv } from '../../ingest/src/env.js';
import { type RunningIngest, startIngest } from '../../ingest/src/main.js';
import { TEST_CONFIG } from '../../origin/test/harness.js';
import { childrenOf, killGroup, spawnTranscoder, startOriginServer, waitFor } from '../support/stack.js';

const INTERNAL = { authorization: `Bearer ${TEST_CONFIG.internalApiToken}` };
const LIVE_LEASE_SECONDS = 3;

/** FFmpeg under `pid`, directly or one level down (the parent-death wrapper). */
function ffmpegUnder(pid: number): { pid: number } | undefined {
  for (const child of childrenOf(pid)) {
    if (child.comm === 'ffmpeg') return child;
    const grandchild = childrenOf(child.pid).find((p) => p.comm === 'ffmpeg');
    if (grandchild) return grandchild;
  }
  return undefined;
}

/** Push a generated 320x180 stream as an encoder would (1 s GOP, ultrafast), `seconds` long. */
function push(url: string, seconds: number): ChildProcess {
  return spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-re'],
      ...['-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=30', '-f', 'lavfi', '-i', 'sine'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '30'],
      ...['-c:a', 'aac', '-t', String(seconds), '-f', 'flv', url],
    ],
    { stdio: 'ignore' },
  );
}

interface Listing {
  at: number;
  mediaSequence: number;
  /** Every segment and part msn, in playlist order. */
  msns: number[];
  parts: string[];
  /** msn of each segment preceded by `EXT-X-DISCONTINUITY`. */
  discontinuities: number[];
  text: string;
}

/** What a media playlist lists: msns in order, part names, where the discontinuities are. */
function parseListing(text: string, at: number): Listing {
  const msns: number[] = [];
  const parts: string[] = [];
  const discontinuities: number[] = [];
  let pendingDiscontinuity = false;
  for (const line of text.split('\n')) {
    if (line === '#EXT-X-DISCONTINUITY') pendingDiscontinuity = true;
    const part = /^#EXT-X-PART:.*URI="(part_(\d+)_\d+\.m4s)"/.exec(line);
    const segment = /^seg_(\d+)\.m4s$/.exec(line);
    const msn = part ? Number(part[2]) : segment ? Number(segment[1]) : undefined;
    if (msn === undefined) continue;
    if (pendingDiscontinuity) discontinuities.push(msn);
    pendingDiscontinuity = false;
    msns.push(msn);
    if (part) parts.push(part[1] as string);
  }
  const mediaSequence = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? -1);
  return { at, mediaSequence, msns, parts, discontinuities, text };
}

/**
 * Issue 10, acceptance: killing the live transcoder's process group resumes playback within 10 s.
 * Real processes: the origin (PostgreSQL, live lease 3 s, lease watch), ingest, two transcoders;
 * the one holding the live job is killed with its FFmpeg, the other takes the job over and
 * continues the stream past every name the first one used, after a discontinuity.
 */
describe('live: a killed live transcoder is taken over', () => {
  let origin: Awaited<ReturnType<typeof startOriginServer>>;
  let ingest: RunningIngest;
  const transcoders: Array<ReturnType<typeof spawnTranscoder>> = [];
  let encoder: ChildProcess | undefined;

  beforeAll(async () => {
    origin = await startOriginServer('postgres', {
      jobs: {
        ...TEST_CONFIG.jobs,
        leaseSeconds: { ...TEST_CONFIG.jobs.leaseSeconds, live: LIVE_LEASE_SECONDS },
      },
    });
    ingest = await startIngest(
      parseIngestEnv({
        ORIGIN_URL: origin.url,
        INTERNAL_API_TOKEN: TEST_CONFIG.internalApiToken,
        INGEST_HOST: '127.0.0.1',
        INGEST_RTMP_PORT: '0',
        // SRT has its own suite (test/live/srt.e2e.test.ts); off here, so no UDP port is taken.
        INGEST_SRT: 'off',
        // WHIP/WHEP signalling would bind 8889: only the WebRTC suite turns it on (on port 0).
        INGEST_WEBRTC: 'off',
        LOG_LEVEL: 'warn',
      }),
    );
    for (const name of ['live-a', 'live-b']) transcoders.push(spawnTranscoder(origin.url, name));
    await waitFor(
      async () => (transcoders.every((t) => t.output().includes('transcoder ready')) ? true : undefined),
      30_000,
      () => transcoders.map((t) => t.output()).join('\n'),
    );
  }, 90_000);

  afterAll(async () => {
    encoder?.kill('SIGKILL');
    for (const transcoder of transcoders) await killGroup(transcoder.child);
    await ingest?.close();
    await origin?.close();
  });

  it('resumes new parts within 10 s of kill -9, never reusing a name, after a discontinuity', async () => {
    const owner = await origin.signUp('resume');
    const handle = `resume_${owner.userId.slice(0, 6)}`;
    const created = await origin.call('POST', '/api/v1/channels', {
      token: owner.token,
      body: { handle, displayName: 'Resume' },
    });
    expect(created.status).toBe(201);
    const key = await origin.call('POST', `/api/v1/channels/${handle}/live`, { token: owner.token });
    encoder = push(`${ingest.rtmpUrl}/${key.body.ingest.streamKey}`, 30);
    const logs = () => transcoders.map((t) => t.output()).join('\n');

    const videoId = await waitFor(
      async () => {
        const live = await origin.call('GET', `/api/v1/channels/${handle}/live`, { token: owner.token });
        return live.body.state === 'live' && live.body.videoId ? (live.body.videoId as string) : undefined;
      },
      15_000,
      logs,
    );
    const listings: Listing[] = [];
    const poll = async () => {
      const response = await fetch(`${origin.url}/internal/v1/live/${videoId}/hls/source/index.m3u8`, {
        headers: INTERNAL,
      });
      if (response.status !== 200) return undefined;
      const listing = parseListing(await response.text(), Date.now());
      listings.push(listing);
      return listing;
    };

    // On air: a few finished segments and parts at the live edge.
    await waitFor(
      async () => {
        const listing = await poll();
        return listing && listing.parts.length > 0 && listing.msns.some((m) => m >= 3) ? true : undefined;
      },
      20_000,
      logs,
    );
    const holder = await waitFor(
      async () => transcoders.find((t) => ffmpegUnder(t.child.pid as number)),
      5_000,
      logs,
    );
    const rescuer = transcoders.find((t) => t !== holder) as (typeof transcoders)[number];
    const before = (await poll()) as Listing;
    const highestBefore = Math.max(...listings.flatMap((l) => l.msns));
    const partsBefore = new Set(listings.flatMap((l) => l.parts));

    process.kill(-(holder.child.pid as number), 'SIGKILL');
    const killedAt = Date.now();

    const resumed = await waitFor(
      async () => {
        const listing = await poll();
        return listing?.msns.some((m) => m > highestBefore) && listing.parts.some((p) => !partsBefore.has(p))
          ? listing
          : undefined;
      },
      15_000,
      logs,
    );
    const gapMs = resumed.at - killedAt;
    const lastOldPart = Math.max(...listings.filter((l) => l.at <= killedAt).map((l) => l.at));
    console.log(
      `live takeover: new parts listed ${gapMs} ms after kill -9 (last poll before the kill ${killedAt - lastOldPart} ms earlier); ` +
        `old attempt up to msn ${highestBefore}, new attempt from msn ${Math.min(...resumed.msns.filter((m) => m > highestBefore))}`,
    );
    expect(ffmpegUnder(rescuer.child.pid as number)).toBeDefined();
    expect(gapMs).toBeLessThan(10_000);

    // A few more seconds of the new attempt, then check everything the playlist ever said.
    await waitFor(
      async () => {
        const listing = await poll();
        return listing && listing.at - resumed.at > 3000 ? true : undefined;
      },
      10_000,
      logs,
    );
    for (const [index, listing] of listings.entries()) {
      // In playlist order, msns never go backwards...
      expect(listing.msns, listing.text).toEqual([...listing.msns].sort((a, b) => a - b));
      // ...nor from one reload to the next.
      const previous = listings[index - 1];
      if (previous) expect(listing.mediaSequence).toBeGreaterThanOrEqual(previous.mediaSequence);
    }
    // The new attempt's first segment is past every msn the old one listed, after a discontinuity,
    // and the old window is still served before it.
    const firstNew = Math.min(...resumed.msns.filter((m) => m > highestBefore));
    expect(resumed.discontinuities, resumed.text).toContain(firstNew);
    expect(
      resumed.msns.some((m) => m <= highestBefore && before.msns.includes(m)),
      resumed.text,
    ).toBe(true);
    // Part names of the old attempt were never listed again for other media.
    const after = listings.filter((l) => l.at >= resumed.at);
    for (const listing of after)
      for (const part of listing.parts)
        if (partsBefore.has(part))
          expect(Number(/part_(\d+)/.exec(part)?.[1])).toBeLessThanOrEqual(highestBefore);
  }, 120_000);
});
