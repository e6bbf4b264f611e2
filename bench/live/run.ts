/**
 * bench/live: glass-to-glass latency of live streaming, measured in one run through `npm start`.
 *   - a Node generator burns Date.now() into 640x360 frames as boxes (timecode.ts) and pipes them at
 *     30 fps into one x264 (ultrafast, zerolatency, 1 s GOP) that pushes over RTMP, teed to Vidra's
 *     ingest and to the baseline: `ffmpeg -listen 1 -i rtmp://... -c copy -f hls -hls_time 1`;
 *   - headless Chromium plays each with the vendored hls.js (`lowLatencyMode`), reads the boxes on
 *     `requestVideoFrameCallback` and keeps Date.now() - burned time, and Date.now() - hls.playingDate;
 *   - glass to part available: a blocking-reload poller takes each new INDEPENDENT part, decodes its
 *     first frame with FFmpeg and compares its burned time with the moment the part was listed;
 *   - CPU of the npm start process tree (/proc/<pid>/stat) per second of stream;
 *   - viewer load: N concurrent blocking playlist + part loops against the edge, origin CPU measured;
 *   - a second channel with the ladder `source+720p`, played on its 720p rung.
 * Run: npx tsx bench/live/run.ts [--seconds 20] [--viewers 100] [--max-minutes 6]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../test/support/browser.js';
import { apiUser, type RunningPlatform, startPlatform } from '../../test/support/platform.js';
import { ROOT } from '../../test/support/stack.js';
import { freePort } from '../edge/load.js';
import { burn, COLS, HEIGHT, ROWS, readBack, WIDTH } from './timecode.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    viewers: { type: 'string', default: '100' },
    'max-minutes': { type: 'string', default: '6' },
  },
});
const SECONDS = Number(args.seconds);
const VIEWERS = Number(args.viewers);
const WARMUP_MS = 6_000;
const FPS = 30;
const TICK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

const work = mkdtempSync(path.join(tmpdir(), 'vidra-bench-live-'));
const started: ChildProcess[] = [];
let platform: RunningPlatform | undefined;
let browser: Browser | undefined;
let pageServer: ReturnType<typeof createServer> | undefined;
let generatorTimer: NodeJS.Timeout | undefined;

async function cleanup(): Promise<void> {
  if (generatorTimer) clearTimeout(generatorTimer);
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await browser?.close().catch(() => undefined);
  pageServer?.close();
  await platform?.stop().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}
const deadline = setTimeout(async () => {
  console.error(`bench/live: --max-minutes ${args['max-minutes']} passed, stopping`);
  await cleanup();
  process.exit(1);
}, Number(args['max-minutes']) * 60_000);
process.on('SIGINT', async () => {
  await cleanup();
  process.exit(130);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}
const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');
const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');

// ---- CPU of a process tree, from /proc ----
interface ProcCpu {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number;
}
function procs(): ProcCpu[] {
  const out: ProcCpu[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      out.push({
        pid: Number(name),
        ppid: Number(fields[1]),
        comm,
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
/** CPU ticks of `root` and its descendants, by role: the npm start process itself, ffmpeg, the rest. */
function treeTicks(root: number): Map<string, number> {
  const all = procs();
  const inTree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all)
      if (!inTree.has(p.pid) && inTree.has(p.ppid)) {
        inTree.add(p.pid);
        grew = true;
      }
  }
  const byRole = new Map<string, number>();
  for (const p of all) {
    if (!inTree.has(p.pid)) continue;
    const role = p.pid === root ? 'node' : p.comm.startsWith('ffmpeg') ? 'ffmpeg' : 'edge';
    // Keyed by pid too, so a process that started or ended between samples is not misattributed.
    byRole.set(`${role}:${p.pid}`, p.ticks);
  }
  return byRole;
}
/** Share of one core per role between two samples, over `seconds`. */
function cpuShare(before: Map<string, number>, after: Map<string, number>, seconds: number) {
  const share: Record<string, number> = { node: 0, ffmpeg: 0, edge: 0 };
  for (const [key, ticks] of after) {
    const role = key.split(':')[0] as string;
    share[role] = (share[role] ?? 0) + (ticks - (before.get(key) ?? 0)) / TICK / seconds;
  }
  return share as { node: number; ffmpeg: number; edge: number };
}
const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

// ---- the generator: one clock, one frame buffer, several encoders ----
const sinks = new Set<ChildProcess>();
const frame = Buffer.alloc(WIDTH * HEIGHT);
function startGenerator(): void {
  const t0 = Date.now();
  let n = 0;
  const tick = () => {
    burn(frame, Date.now());
    for (const sink of sinks) if (sink.stdin?.writable) sink.stdin.write(Buffer.from(frame));
    n++;
    generatorTimer = setTimeout(tick, Math.max(0, t0 + (n * 1000) / FPS - Date.now()));
  };
  tick();
}
function encoder(outputs: string): ChildProcess {
  const child = spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error'],
      ...[
        '-f',
        'rawvideo',
        '-pix_fmt',
        'gray',
        '-s',
        `${WIDTH}x${HEIGHT}`,
        '-r',
        String(FPS),
        '-i',
        'pipe:0',
      ],
      // Silent AAC: with video alone the live job's FFmpeg never gets a fragment out (see bench/README.md).
      ...['-re', '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=mono'],
      ...[
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-tune',
        'zerolatency',
        '-g',
        '30',
        '-pix_fmt',
        'yuv420p',
      ],
      ...['-c:a', 'aac', '-b:a', '64k'],
      ...['-flags', '+global_header', '-map', '0:v', '-map', '1:a', '-f', 'tee', outputs],
    ],
    { stdio: ['pipe', 'ignore', 'inherit'] },
  );
  child.stdin?.on('error', () => undefined);
  started.push(child);
  sinks.add(child);
  return child;
}

// ---- the page: hls.js plays `src`, the boxes are read back on every presented frame ----
const HLS_JS = readFileSync(path.join(ROOT, 'node_modules/hls.js/dist/hls.min.js'));
const PAGE = `<!doctype html><meta charset="utf-8"><video muted playsinline></video>
<script src="/hls.js"></script><script>
var __name = (f) => f;
const WIDTH = ${WIDTH}, HEIGHT = ${HEIGHT}, COLS = ${COLS}, ROWS = ${ROWS}, TIME_BITS = 41, CHECK_BITS = 7;
const readBack = ${readBack.toString()};
const params = new URLSearchParams(location.search);
const wantHeight = Number(params.get('height') || 0);
const video = document.querySelector('video');
const canvas = new OffscreenCanvas(WIDTH, HEIGHT);
const ctx = canvas.getContext('2d', { willReadFrequently: true });
window.bench = { samples: [], pdt: [], unread: 0, errors: [], level: -1 };
const hls = new Hls({ lowLatencyMode: true });
hls.on(Hls.Events.ERROR, (_e, d) => bench.errors.push(d.details + (d.fatal ? ' (fatal)' : '')));
hls.on(Hls.Events.MANIFEST_PARSED, (_e, d) => {
  const i = d.levels.findIndex((l) => l.height === wantHeight);
  if (i >= 0) { hls.currentLevel = i; hls.loadLevel = i; }
});
hls.on(Hls.Events.LEVEL_SWITCHED, (_e, d) => { bench.level = hls.levels[d.level]?.height ?? -1; });
hls.loadSource(params.get('src'));
hls.attachMedia(video);
video.play().catch((e) => bench.errors.push('play: ' + e));
function onFrame() {
  const now = Date.now();
  ctx.drawImage(video, 0, 0, WIDTH, HEIGHT);
  const px = ctx.getImageData(0, 0, WIDTH, HEIGHT).data;
  const t = readBack((x, y) => px[(y * WIDTH + x) * 4 + 1]);
  if (t === undefined) bench.unread++; else bench.samples.push(now - t);
  if (hls.playingDate) bench.pdt.push(now - hls.playingDate.getTime());
  video.requestVideoFrameCallback(onFrame);
}
video.requestVideoFrameCallback(onFrame);
</script>`;

interface Played {
  samples: number[];
  pdt: number[];
  unread: number;
  errors: string[];
  level: number;
}
async function play(page: Page, base: string, src: string, height: number, seconds: number): Promise<Played> {
  await page.goto(`${base}/page.html?src=${encodeURIComponent(src)}&height=${height}`);
  await sleep(WARMUP_MS);
  await page.evaluate(() => {
    const b = (window as unknown as { bench: Played }).bench;
    b.samples = [];
    b.pdt = [];
    b.unread = 0;
  });
  await sleep(seconds * 1000);
  const result = await page.evaluate(() => (window as unknown as { bench: Played }).bench);
  await page.goto('about:blank');
  return result;
}

// ---- LL-HLS media playlist: the newest part, and blocking reloads ----
interface NewestPart {
  msn: number;
  index: number;
  uri: string;
  independent: boolean;
  duration: number;
}
function newestPart(playlist: string): NewestPart | undefined {
  let msn = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(playlist)?.[1] ?? 0);
  const skipped = Number(/#EXT-X-SKIP:SKIPPED-SEGMENTS=(\d+)/.exec(playlist)?.[1] ?? 0);
  msn += skipped;
  let index = 0;
  let newest: NewestPart | undefined;
  for (const line of playlist.split('\n')) {
    if (line.startsWith('#EXT-X-PART:')) {
      newest = {
        msn,
        index,
        uri: /URI="([^"]+)"/.exec(line)?.[1] ?? '',
        independent: line.includes('INDEPENDENT=YES'),
        duration: Number(/DURATION=([\d.]+)/.exec(line)?.[1] ?? 0),
      };
      index++;
    } else if (line && !line.startsWith('#')) {
      msn++;
      index = 0;
    }
  }
  return newest;
}
const initUri = (playlist: string) => /#EXT-X-MAP:URI="([^"]+)"/.exec(playlist)?.[1];

/** Decode the first frame of `init + part` and read its burned time. */
function burnedTimeOf(init: Buffer, part: Buffer, file: string): number | undefined {
  writeFileSync(file, Buffer.concat([init, part]));
  try {
    const raw = execFileSync(
      'ffmpeg',
      [
        ...['-hide_banner', '-loglevel', 'error', '-i', file, '-frames:v', '1'],
        ...['-vf', `scale=${WIDTH}:${HEIGHT}`, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'],
      ],
      { maxBuffer: 8 * WIDTH * HEIGHT, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    if (raw.length < WIDTH * HEIGHT) return undefined;
    return readBack((x, y) => raw[y * WIDTH + x] as number);
  } catch {
    return undefined;
  }
}

/** Follow a media playlist by blocking reloads for `seconds`; for each new INDEPENDENT part, glass to listed. */
async function glassToPart(mediaUrl: string, seconds: number) {
  const first = await (await fetch(mediaUrl)).text();
  const mapUri = initUri(first);
  const init = mapUri
    ? Buffer.from(await (await fetch(new URL(mapUri, mediaUrl))).arrayBuffer())
    : Buffer.alloc(0);
  let newest = newestPart(first);
  const firstFrame: number[] = [];
  const lastFrame: number[] = [];
  const arrivals: number[] = [];
  const end = Date.now() + seconds * 1000;
  const file = path.join(work, 'part.mp4');
  while (Date.now() < end && newest) {
    const url = new URL(mediaUrl);
    url.searchParams.set('_HLS_msn', String(newest.msn));
    url.searchParams.set('_HLS_part', String(newest.index + 1));
    const res = await fetch(url);
    const listedAt = Date.now();
    const text = await res.text();
    if (!res.ok) {
      await sleep(100);
      newest = newestPart((await (await fetch(mediaUrl)).text()) || '') ?? newest;
      continue;
    }
    const next = newestPart(text);
    if (!next || (next.msn === newest.msn && next.index === newest.index)) continue;
    newest = next;
    arrivals.push(listedAt);
    if (!next.independent) continue;
    const part = Buffer.from(await (await fetch(new URL(next.uri, mediaUrl))).arrayBuffer());
    const burned = burnedTimeOf(init, part, file);
    if (burned === undefined) continue;
    firstFrame.push(listedAt - burned);
    lastFrame.push(listedAt - (burned + next.duration * 1000 - 1000 / FPS));
  }
  const gaps = arrivals.slice(1).map((t, i) => t - (arrivals[i] as number));
  return { firstFrame, lastFrame, partGapP50: quantile(gaps, 0.5), parts: arrivals.length };
}

/** The viewer-load step: `n` loops of blocking playlist reload + newest part fetch, for `seconds`. */
async function viewerLoad(mediaUrl: string, n: number, seconds: number) {
  const end = Date.now() + seconds * 1000;
  let playlists = 0;
  let parts = 0;
  let failures = 0;
  const viewer = async () => {
    let newest = newestPart(await (await fetch(mediaUrl)).text());
    while (Date.now() < end && newest) {
      try {
        const url = new URL(mediaUrl);
        url.searchParams.set('_HLS_msn', String(newest.msn));
        url.searchParams.set('_HLS_part', String(newest.index + 1));
        const res = await fetch(url);
        const text = await res.text();
        if (!res.ok) {
          failures++;
          await sleep(200);
          continue;
        }
        playlists++;
        const next = newestPart(text);
        if (!next) continue;
        newest = next;
        const part = await fetch(new URL(next.uri, mediaUrl));
        await part.arrayBuffer();
        if (part.ok) parts++;
        else failures++;
      } catch {
        failures++;
        await sleep(200);
      }
    }
  };
  await Promise.all(Array.from({ length: n }, viewer));
  return { playlists, parts, failures };
}

async function liveVideo(owner: Awaited<ReturnType<typeof apiUser>>, handle: string): Promise<string> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const state = await owner.call('GET', `/api/v1/channels/${handle}/live`);
    if (state.state === 'live' && state.videoId) return state.videoId as string;
    await sleep(250);
  }
  throw new Error(`channel ${handle} did not go live: ${platform?.output().slice(-2000)}`);
}
async function mediaPlaylistOf(masterUrl: string, height: number): Promise<string> {
  const until = Date.now() + 30_000;
  let last = '';
  while (Date.now() < until) {
    const res = await fetch(masterUrl);
    last = `${res.status} ${await res.clone().text()}`;
    if (res.ok) {
      const lines = (await res.text()).split('\n');
      const i = lines.findIndex((l) => l.startsWith('#EXT-X-STREAM-INF') && l.includes(`x${height}`));
      const uri = i >= 0 ? lines[i + 1] : undefined;
      if (uri) {
        const media = new URL(uri, masterUrl).toString();
        if ((await fetch(media)).ok) return media;
      }
    }
    await sleep(300);
  }
  throw new Error(
    `no ${height}p media playlist under ${masterUrl}: ${last.slice(0, 300)}\n${platform?.output().slice(-3000)}`,
  );
}

// ---------------------------------------------------------------------------------------------
try {
  // The baseline: FFmpeg's own HLS muxer behind a tiny static server (same origin as the page).
  const baseDir = path.join(work, 'baseline');
  mkdirSync(baseDir);
  const basePort = await freePort();
  const baseline = spawn(
    'ffmpeg',
    [
      ...[
        '-hide_banner',
        '-loglevel',
        'error',
        '-listen',
        '1',
        '-i',
        `rtmp://127.0.0.1:${basePort}/live/base`,
      ],
      ...[
        '-c',
        'copy',
        '-f',
        'hls',
        '-hls_time',
        '1',
        '-hls_list_size',
        '6',
        '-hls_flags',
        'delete_segments',
      ],
      path.join(baseDir, 'index.m3u8'),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  started.push(baseline);
  pageServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('access-control-allow-origin', '*');
    if (url.pathname === '/page.html') return res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    if (url.pathname === '/hls.js')
      return res.writeHead(200, { 'content-type': 'text/javascript' }).end(HLS_JS);
    const name = path.basename(url.pathname);
    try {
      const body = readFileSync(path.join(baseDir, name));
      const type = name.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t';
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  pageServer.listen(0, '127.0.0.1');
  await new Promise((resolve) => pageServer?.once('listening', resolve));
  const pageBase = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;

  console.error('bench/live: starting npm start ...');
  platform = await startPlatform({
    LIVE_RECONNECT_SECONDS: '3',
    // One job slot (the default) is taken by the first live job; the 720p channel needs a second.
    TRANSCODER_CONCURRENCY: '2',
    RATE_LIMIT_PLAYBACK: '1000000/60',
  });
  const root = platform.child.pid as number;
  const owner = await apiUser(platform.edgeUrl, 'bencher');
  const keys: Record<string, string> = {};
  for (const [handle, ladder] of [
    ['copy', 'source'],
    ['rung', 'source+720p'],
  ] as const) {
    await owner.call('POST', '/api/v1/channels', { handle, displayName: handle });
    keys[handle] = (await owner.call('POST', `/api/v1/channels/${handle}/live`)).ingest.streamKey;
    const patched = await owner.call('PATCH', `/api/v1/channels/${handle}/live`, { ladder });
    if (patched?.settings?.ladder !== ladder)
      console.error(`ladder ${ladder} not set: ${JSON.stringify(patched)}`);
  }
  const rtmp = `rtmp://127.0.0.1:${platform.ingestPort}/live`;
  const idleBefore = treeTicks(root);
  await sleep(3000);
  const idle = cpuShare(idleBefore, treeTicks(root), 3);

  browser = await launchChromium();
  const page = await browser.newPage();
  startGenerator();
  encoder(
    `[f=flv:onfail=ignore]${rtmp}/${keys.copy}|[f=flv:onfail=ignore]rtmp://127.0.0.1:${basePort}/live/base`,
  );
  const copyId = await liveVideo(owner, 'copy');
  const issue = async (id: string) =>
    (await owner.call('POST', `/api/v1/videos/${id}/playback`)).hls as string;
  const copyMaster = await issue(copyId);
  const copyMedia = await mediaPlaylistOf(copyMaster, HEIGHT);

  // (1) copy path: the page plays; the part poller runs alongside; the tree's CPU over the window.
  console.error('bench/live: copy path ...');
  const cpuCopyBefore = treeTicks(root);
  const copyStart = Date.now();
  const [copyPlayed, copyParts] = await Promise.all([
    play(page, pageBase, copyMaster, HEIGHT, SECONDS),
    sleep(WARMUP_MS).then(() => glassToPart(copyMedia, SECONDS)),
  ]);
  const cpuCopy = cpuShare(cpuCopyBefore, treeTicks(root), (Date.now() - copyStart) / 1000);

  // (2) the baseline, same pushed stream, same page.
  console.error('bench/live: baseline (ffmpeg -f hls) ...');
  const basePlayed = await play(page, pageBase, `${pageBase}/base/index.m3u8`, HEIGHT, SECONDS);

  // (3) viewers: N blocking loops through the edge, while the copy stream runs.
  console.error(`bench/live: ${VIEWERS} viewers ...`);
  const loadSeconds = Math.max(5, Math.round(SECONDS / 2));
  const cpuLoadBefore = treeTicks(root);
  const loadStart = Date.now();
  const load = await viewerLoad(copyMedia, VIEWERS, loadSeconds);
  const cpuLoad = cpuShare(cpuLoadBefore, treeTicks(root), (Date.now() - loadStart) / 1000);

  // (4) a transcoded rung: a second channel, ladder source+720p, played on 720p.
  console.error('bench/live: source+720p ...');
  let rung: { played: Played; cpu: ReturnType<typeof cpuShare> } | { error: string };
  try {
    encoder(`[f=flv:onfail=ignore]${rtmp}/${keys.rung}`);
    const rungId = await liveVideo(owner, 'rung');
    const rungMaster = await issue(rungId);
    await mediaPlaylistOf(rungMaster, 720);
    const before = treeTicks(root);
    const t = Date.now();
    const played = await play(page, pageBase, rungMaster, 720, SECONDS);
    rung = { played, cpu: cpuShare(before, treeTicks(root), (Date.now() - t) / 1000) };
  } catch (error) {
    rung = { error: (error as Error).message.slice(0, 500) };
  }

  // ---- report ----
  const p = (values: number[]) => ({
    p50: quantile(values, 0.5),
    p95: quantile(values, 0.95),
    n: values.length,
  });
  const copy = p(copyPlayed.samples);
  const copyPdt = p(copyPlayed.pdt);
  const base = p(basePlayed.samples);
  const basePdt = p(basePlayed.pdt);
  const partFirst = p(copyParts.firstFrame);
  const partLast = p(copyParts.lastFrame);
  const ingestPack = cpuCopy.node + cpuCopy.ffmpeg - (idle.node + idle.ffmpeg);
  const viewerOrigin = cpuLoad.node - cpuCopy.node;
  const ratio = copy.p95 / base.p95;
  const rungStats = 'played' in rung ? p(rung.played.samples) : undefined;
  const rungPdt = 'played' in rung ? p(rung.played.pdt) : undefined;
  const lines = [
    '',
    `bench/live (npm start, ${WIDTH}x${HEIGHT}@${FPS} x264 ultrafast zerolatency g=30, ${SECONDS}s per phase after ${WARMUP_MS / 1000}s warm-up)`,
    `  glass to glass, copy path       p50 ${ms(copy.p50)}  p95 ${ms(copy.p95)}  (${copy.n} frames read, ${copyPlayed.unread} unreadable)   target p95 <= 1500 ms: ${verdict(copy.p95 <= 1500)}`,
    `    hls.playingDate (PDT) lag     p50 ${ms(copyPdt.p50)}  p95 ${ms(copyPdt.p95)}`,
    `    player errors: ${copyPlayed.errors.slice(0, 6).join(', ') || 'none'}`,
    `  baseline: ffmpeg -f hls 1 s     p50 ${ms(base.p50)}  p95 ${ms(base.p95)}  (${base.n} frames read, ${basePlayed.unread} unreadable)`,
    `    hls.playingDate (PDT) lag     p50 ${ms(basePdt.p50)}  p95 ${ms(basePdt.p95)}`,
    `    player errors: ${basePlayed.errors.slice(0, 6).join(', ') || 'none'}`,
    `  ratio copy p95 / baseline p95   ${ratio.toFixed(2)}   target <= 0.3: ${verdict(ratio <= 0.3)}`,
    rungStats && rungPdt && 'played' in rung
      ? [
          `  glass to glass, 720p rung       p50 ${ms(rungStats.p50)}  p95 ${ms(rungStats.p95)}  (${rungStats.n} frames read at level ${rung.played.level}p)   target p95 <= 2000 ms: ${verdict(rungStats.p95 <= 2000)}`,
          `    hls.playingDate (PDT) lag     p50 ${ms(rungPdt.p50)}  p95 ${ms(rungPdt.p95)}`,
          `    player errors: ${rung.played.errors.slice(0, 6).join(', ') || 'none'}`,
          `    ratio 720p p95 / baseline p95 ${(rungStats.p95 / base.p95).toFixed(2)}   target <= 0.3: ${verdict(rungStats.p95 / base.p95 <= 0.3)}`,
          `    CPU with both streams: node ${pct(rung.cpu.node)}, ffmpeg ${pct(rung.cpu.ffmpeg)}; the 720p stream adds ${pct(rung.cpu.node + rung.cpu.ffmpeg - cpuCopy.node - cpuCopy.ffmpeg)} of a core`,
        ].join('\n')
      : `  720p rung: could not run: ${'error' in rung ? rung.error : '?'}`,
    `  glass to part listed (blocking reload, ${copyParts.parts} parts, one every ${ms(copyParts.partGapP50)} p50)`,
    `    first frame of part           p50 ${ms(partFirst.p50)}  p95 ${ms(partFirst.p95)}  (${partFirst.n} independent parts decoded)`,
    `    last frame of part            p50 ${ms(partLast.p50)}  p95 ${ms(partLast.p95)}`,
    `  CPU, share of one core: idle npm start node ${pct(idle.node)}; during copy: node ${pct(cpuCopy.node)} (origin+ingest+packager), ffmpeg ${pct(cpuCopy.ffmpeg)}, edge ${pct(cpuCopy.edge)}`,
    `    copy ingest+packaging per stream ${pct(ingestPack)} (node + ffmpeg above idle)   target <= 5%: ${verdict(ingestPack <= 0.05)}`,
    `  ${VIEWERS} viewers through the edge, ${loadSeconds}s: ${load.playlists} blocking playlists, ${load.parts} parts, ${load.failures} failures`,
    `    origin process ${pct(cpuLoad.node)} (${pct(viewerOrigin)} above the copy phase), edge ${pct(cpuLoad.edge)}   target origin <= 15% at >= 100 viewers: ${verdict(VIEWERS >= 100 && cpuLoad.node <= 0.15 && load.failures === 0 && load.parts > 0)}`,
    '  (this machine is shared: read the CPU shares as upper bounds)',
    '',
  ];
  console.log(lines.join('\n'));
  console.log(
    JSON.stringify({
      bench: 'live',
      seconds: SECONDS,
      copy,
      copyPdt,
      baseline: base,
      baselinePdt: basePdt,
      ratio,
      rung: rungStats ?? null,
      partFirst,
      partLast,
      cpu: { idle, copy: cpuCopy, load: cpuLoad, ingestPack },
      viewers: { n: VIEWERS, ...load },
    }),
  );
} finally {
  clearTimeout(deadline);
  await cleanup();
}
process.exit(0);
