// biome-ignore-all lint/style/noRestrictedImports: part of a vitest globalSetup that runs in Node (it plays the origin), never in workerd.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FAKE_INTERNAL_TOKEN, type FakeLiveCounts } from './provided.js';

/**
 * A small in-memory LL-HLS origin for the edge's live tests, implementing the live data path
 * contract (protocol/live.ts): the access policy of a video on air, the revocation feed, and
 * `GET /internal/v1/live/:videoId/hls/<path>` with blocking reloads. Parts appear only when a test
 * publishes them (`/__live/publish`), so a test decides exactly when blocked requests are answered.
 */

const PARTS_PER_SEGMENT = 4;
const BLOCK_MS = 5_000; // the spec's "three target durations", generous enough for a slow CI box
const OWNER = '4f1c2b7e-3d5a-4e8f-9a6b-1c2d3e4f5a6b';

interface FakeStream {
  privacy: 'public' | 'private';
  startedAt: number;
  /** The newest published part, or undefined before the first. */
  published: { msn: number; part: number } | undefined;
  counts: FakeLiveCounts;
}

const streams = new Map<string, FakeStream>();
const revocations: { videoId: string; seq: number; revokedAt: string; reason: string }[] = [];
const waiters = new Set<() => void>();

const pad = (n: number) => String(n).padStart(5, '0');

function has(stream: FakeStream, msn: number, part: number | undefined): boolean {
  const p = stream.published;
  if (!p) return false;
  // Without `_HLS_part` the whole segment `msn` must be there.
  return part === undefined ? p.msn > msn : p.msn > msn || (p.msn === msn && p.part >= part);
}

/** A plain LL-HLS media playlist of everything published, plus the query the origin received. */
function mediaPlaylist(stream: FakeStream, query: string): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:9',
    '#EXT-X-TARGETDURATION:1',
    '#EXT-X-PART-INF:PART-TARGET=0.25',
    '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.75,CAN-SKIP-UNTIL=6',
    '#EXT-X-MEDIA-SEQUENCE:1',
    '#EXT-X-MAP:URI="init.mp4"',
    `## origin saw query: ${query}`,
  ];
  const last = stream.published;
  for (let msn = 1; last && msn <= last.msn; msn++) {
    const parts = msn < last.msn ? PARTS_PER_SEGMENT : last.part + 1;
    for (let i = 0; i < parts; i++) lines.push(`#EXT-X-PART:DURATION=0.25,URI="part_${pad(msn)}_${i}.m4s"`);
    if (msn < last.msn) lines.push('#EXTINF:1.0,', `seg_${pad(msn)}.m4s`);
  }
  return `${lines.join('\n')}\n`;
}

/** Answer with JSON; true, so that a route can `return json(...)` as "handled". */
function json(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  return true;
}

/** Wait until `ready()` holds or the blocking limit passes; true when it holds. */
function waitFor(ready: () => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const check = () => {
      if (!ready()) return;
      waiters.delete(check);
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => waiters.delete(check) && resolve(false), BLOCK_MS);
    timer.unref();
    waiters.add(check);
    check();
  });
}

async function serveLive(res: ServerResponse, stream: FakeStream, path: string, url: URL): Promise<void> {
  if (path === 'master.m3u8') {
    stream.counts.playlists[`${path}?${url.search.slice(1)}`] =
      (stream.counts.playlists[`${path}?${url.search.slice(1)}`] ?? 0) + 1;
    res.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' });
    res.end(
      '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS="avc1.64001f,mp4a.40.2"\nsource/index.m3u8\n',
    );
    return;
  }
  if (path === 'source/index.m3u8') {
    const query = url.search.slice(1);
    stream.counts.playlists[`${path}?${query}`] = (stream.counts.playlists[`${path}?${query}`] ?? 0) + 1;
    const msnParam = url.searchParams.get('_HLS_msn');
    if (msnParam !== null) {
      const msn = Number(msnParam);
      const partParam = url.searchParams.get('_HLS_part');
      const part = partParam === null ? undefined : Number(partParam);
      if (msn > (stream.published?.msn ?? 0) + 2) return void json(res, 400, { error: 'too far ahead' });
      if (!(await waitFor(() => has(stream, msn, part)))) return void json(res, 503, { error: 'not yet' });
    }
    res.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' });
    res.end(mediaPlaylist(stream, query));
    return;
  }
  stream.counts.files[path] = (stream.counts.files[path] ?? 0) + 1;
  const part = /^source\/part_(\d{5})_(\d+)\.m4s$/.exec(path);
  const exists =
    path === 'source/init.mp4' || (part !== null && has(stream, Number(part[1]), Number(part[2])));
  if (!exists) return void json(res, 404, { error: 'no such file' });
  res.writeHead(200, { 'content-type': 'video/iso.segment' });
  res.end(Buffer.from(`bytes of ${path}`));
}

/**
 * Answer the fake live routes and their test hooks; false when `url` is none of them (the caller's
 * other routes apply).
 */
export async function handleLive(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const path = url.pathname;
  if (path === '/__live/create') {
    const videoId = randomUUID();
    const privacy = url.searchParams.get('privacy') === 'private' ? 'private' : 'public';
    const counts: FakeLiveCounts = { playlists: {}, files: {}, policies: 0 };
    streams.set(videoId, { privacy, startedAt: Date.now(), published: undefined, counts });
    json(res, 200, { videoId });
    return true;
  }
  const hook = /^\/__live\/(publish|revoke|counts)$/.exec(path);
  if (hook) {
    const stream = streams.get(url.searchParams.get('video') ?? '');
    if (!stream) return json(res, 404, { error: 'no such stream' });
    if (hook[1] === 'publish') {
      const p = stream.published;
      stream.published = !p
        ? { msn: 1, part: 0 }
        : p.part + 1 < PARTS_PER_SEGMENT
          ? { msn: p.msn, part: p.part + 1 }
          : { msn: p.msn + 1, part: 0 };
      for (const wake of [...waiters]) wake();
      json(res, 200, stream.published);
    } else if (hook[1] === 'revoke') {
      const seq = revocations.length + 1;
      const videoId = url.searchParams.get('video') ?? '';
      revocations.push({
        videoId,
        seq,
        revokedAt: new Date().toISOString(),
        reason: 'video.privacy_changed',
      });
      json(res, 200, { seq });
    } else json(res, 200, stream.counts);
    return true;
  }

  if (!path.startsWith('/internal/v1/')) return false;
  if (req.headers.authorization !== `Bearer ${FAKE_INTERNAL_TOKEN}`) return false; // not ours: echo
  if (path === '/internal/v1/revocations') {
    const after = Number(url.searchParams.get('after') ?? '0');
    json(res, 200, { revocations: revocations.filter((r) => r.seq > after), more: false });
    return true;
  }
  const access = /^\/internal\/v1\/videos\/([\w-]+)\/access$/.exec(path);
  const live = /^\/internal\/v1\/live\/([\w-]+)\/hls\/(.+)$/.exec(path);
  const stream = streams.get((access ?? live)?.[1] ?? '');
  if (!stream) return json(res, 404, { error: 'no such video' });
  if (access) {
    stream.counts.policies++;
    const epoch = revocations.filter((r) => r.videoId === access[1]).at(-1)?.seq ?? 0;
    json(res, 200, {
      id: access[1],
      privacy: stream.privacy,
      ownerId: OWNER,
      ownerSuspended: false,
      revocation: epoch,
      state: 'live',
      assets: null,
      live: { version: stream.startedAt },
    });
    return true;
  }
  await serveLive(res, stream, live?.[2] ?? '', url);
  return true;
}
