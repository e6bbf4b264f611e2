/**
 * bench/webrtc: WebRTC glass to glass, first frame and forwarding CPU, in one run through `npm start`.
 *   - a Node generator burns Date.now() into frames (bench/live/timecode.ts), x264 (ultrafast,
 *     zerolatency, baseline, 1 s GOP) scales them to 1280x720 at 2.5 Mbit/s and sends RTP to a
 *     werift WHIP client, which publishes to Vidra (edge -> ingest);
 *   - baseline, same run: the encoder's own RTP, decoded on loopback without WebRTC (what encode +
 *     decode cost by themselves);
 *   - a werift WHEP client decodes what it gets (FFmpeg, 640x360 gray) and reads the boxes back;
 *     headless Chromium plays WHEP in an RTCPeerConnection and reads them on requestVideoFrameCallback;
 *   - CPU of the npm start process (ingest forwards in it) with 1, 10 and 50 werift viewers.
 * Run: npx tsx bench/webrtc/run.ts [--seconds 10] [--max-minutes 4]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { H264RtpPayload, RtpPacket } from 'werift';
import { launchChromium } from '../../test/support/browser.js';
import { apiUser, type RunningPlatform, startPlatform } from '../../test/support/platform.js';
import { playWhep, publishWhip, type WhepPlay } from '../../test/webrtc/clients.js';
import { burn, COLS, HEIGHT, ROWS, readBack, WIDTH } from '../live/timecode.js';

const { values: args } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, 'max-minutes': { type: 'string', default: '4' } },
});
const SECONDS = Number(args.seconds);
const FPS = 30;
const TICK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const children: ChildProcess[] = [];
let platform: RunningPlatform | undefined;
const stopAll = async () => {
  for (const child of children) child.kill('SIGKILL');
  await platform?.stop();
};
setTimeout(async () => {
  console.error('bench/webrtc: time limit reached, stopping');
  await stopAll();
  process.exit(1);
}, Number(args['max-minutes']) * 60_000).unref();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (values: number[], q: number) =>
  values.length
    ? ([...values].sort((a, b) => a - b)[
        Math.min(values.length - 1, Math.floor(q * values.length))
      ] as number)
    : Number.NaN;
const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : 'n/a');
const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');

/** CPU ticks of one process (utime + stime). */
function ticksOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

// ---- the generator: burned-in clock frames into one encoder ----
const frame = Buffer.alloc(WIDTH * HEIGHT);
function encoder(videoPort: number, audioPort: number): ChildProcess {
  const rtp = (port: number) => `rtp://127.0.0.1:${port}?pkt_size=1200`;
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
      ...['-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
      ...[
        '-map',
        '0:v',
        '-vf',
        'scale=1280:720',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-tune',
        'zerolatency',
      ],
      ...[
        '-profile:v',
        'baseline',
        '-pix_fmt',
        'yuv420p',
        '-g',
        '30',
        '-b:v',
        '2500k',
        '-maxrate',
        '2500k',
        '-bufsize',
        '500k',
      ],
      ...['-x264-params', 'repeat-headers=1', '-payload_type', '96', '-f', 'rtp', rtp(videoPort)],
      ...[
        '-map',
        '1:a',
        '-c:a',
        'libopus',
        '-b:a',
        '64k',
        '-payload_type',
        '111',
        '-f',
        'rtp',
        rtp(audioPort),
      ],
    ],
    { stdio: ['pipe', 'ignore', 'inherit'] },
  );
  child.stdin?.on('error', () => undefined);
  children.push(child);
  const t0 = Date.now();
  let n = 0;
  const tick = () => {
    if (child.exitCode !== null) return;
    burn(frame, Date.now());
    child.stdin?.write(Buffer.from(frame));
    n++;
    setTimeout(tick, Math.max(0, t0 + (n * 1000) / FPS - Date.now()));
  };
  tick();
  return child;
}

/** An H.264 RTP reader: depacketise, decode with FFmpeg to 640x360 gray, read the clock per frame. */
function clockReader() {
  const decoder = spawn(
    'ffmpeg',
    [
      ...[
        '-hide_banner',
        '-loglevel',
        'error',
        '-fflags',
        'nobuffer',
        '-flags',
        'low_delay',
        '-probesize',
        '32',
      ],
      ...[
        '-f',
        'h264',
        '-i',
        'pipe:0',
        '-vf',
        `scale=${WIDTH}:${HEIGHT}`,
        '-pix_fmt',
        'gray',
        '-f',
        'rawvideo',
        'pipe:1',
      ],
    ],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  children.push(decoder);
  decoder.stdin?.on('error', () => undefined);
  const reader = { samples: [] as number[], firstFrameAt: 0, record: false };
  let pending = Buffer.alloc(0);
  decoder.stdout?.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= WIDTH * HEIGHT) {
      const picture = pending.subarray(0, WIDTH * HEIGHT);
      pending = pending.subarray(WIDTH * HEIGHT);
      const now = Date.now();
      reader.firstFrameAt ||= now;
      const burned = readBack((x, y) => picture[y * WIDTH + x] as number);
      if (burned !== undefined && reader.record) reader.samples.push(now - burned);
    }
  });
  let fragment: Buffer | undefined;
  const push = (rtp: RtpPacket) => {
    const h264 = H264RtpPayload.deSerialize(rtp.payload, fragment);
    fragment = h264.fragment;
    if (h264.payload?.length) decoder.stdin?.write(h264.payload);
  };
  return { reader, push, stop: () => decoder.kill('SIGKILL') };
}

// ---- Chromium: WHEP in an RTCPeerConnection, boxes read on every presented frame ----
const PAGE = `<!doctype html><meta charset="utf-8"><video muted playsinline autoplay></video><script>
var __name = (f) => f;
const WIDTH = ${WIDTH}, HEIGHT = ${HEIGHT}, COLS = ${COLS}, ROWS = ${ROWS}, TIME_BITS = 41, CHECK_BITS = 7;
const readBack = ${readBack.toString()};
const video = document.querySelector('video');
const ctx = new OffscreenCanvas(WIDTH, HEIGHT).getContext('2d', { willReadFrequently: true });
window.bench = { samples: [], unread: 0, firstFrameMs: 0, record: false, error: '' };
(async () => {
  const posted = Date.now();
  const pc = new RTCPeerConnection();
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.addTransceiver('audio', { direction: 'recvonly' });
  const stream = new MediaStream();
  pc.ontrack = (e) => stream.addTrack(e.track);
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((r) => { if (pc.iceGatheringState === 'complete') r(); pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r(); setTimeout(r, 2000); });
  const res = await fetch(new URLSearchParams(location.search).get('whep'), { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: pc.localDescription.sdp });
  if (res.status !== 201) { bench.error = 'WHEP ' + res.status; return; }
  await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
  video.srcObject = stream;
  const onFrame = () => {
    const now = Date.now();
    bench.firstFrameMs ||= now - posted;
    ctx.drawImage(video, 0, 0, WIDTH, HEIGHT);
    const px = ctx.getImageData(0, 0, WIDTH, HEIGHT).data;
    const t = readBack((x, y) => px[(y * WIDTH + x) * 4 + 1]);
    if (bench.record) { if (t === undefined) bench.unread++; else bench.samples.push(now - t); }
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
})().catch((e) => { bench.error = String(e); });
</script>`;

async function main() {
  platform = await startPlatform({ LOG_LEVEL: 'error', X264_PRESET: 'ultrafast' });
  const owner = await apiUser(platform.edgeUrl, 'rtcbench_owner');
  await owner.call('POST', '/api/v1/channels', { handle: 'rtcbench', displayName: 'RTC bench' });
  const key = (await owner.call('POST', '/api/v1/channels/rtcbench/live')).ingest.streamKey;
  const baseline = clockReader();
  const publisher = await publishWhip(`${platform.edgeUrl}/whip`, key, {
    encoder,
    onVideoRtp: (data) => baseline.push(RtpPacket.deSerialize(data)),
  });
  if (publisher.status !== 201) throw new Error(`WHIP: ${publisher.status} ${publisher.body}`);
  let live: { state: string; videoId: string | null } = { state: 'offline', videoId: null };
  for (let i = 0; i < 60 && live.state !== 'live'; i++) {
    await sleep(250);
    live = await owner.call('GET', '/api/v1/channels/rtcbench/live');
  }
  const playback = await owner.call('POST', `/api/v1/videos/${live.videoId}/playback`);
  const whep: string = playback.whep;

  // werift viewer, decoded and read back
  const werift = clockReader();
  const posted = Date.now();
  const viewer = await playWhep(whep, { onVideo: (rtp) => werift.push(rtp) });
  if (viewer.status !== 201) throw new Error(`WHEP: ${viewer.status} ${viewer.body}`);
  await sleep(3000);
  const weriftFirstFrame = werift.reader.firstFrameAt ? werift.reader.firstFrameAt - posted : Number.NaN;
  werift.reader.record = true;
  baseline.reader.record = true;

  // Chromium viewer, on a page of our own origin (the edge answers WHEP with CORS)
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(
    `http://127.0.0.1:${(server.address() as AddressInfo).port}/?whep=${encodeURIComponent(whep)}`,
  );
  await sleep(3000);
  await page.evaluate(() => {
    (window as unknown as { bench: { record: boolean } }).bench.record = true;
  });
  await sleep(SECONDS * 1000);
  const chromium = await page.evaluate(
    () =>
      (
        window as unknown as {
          bench: { samples: number[]; unread: number; firstFrameMs: number; error: string };
        }
      ).bench,
  );
  werift.reader.record = false;
  baseline.reader.record = false;
  await browser.close();
  server.close();
  await viewer.close();
  werift.stop();

  // Forwarding CPU of the npm start process (ingest runs in it), with N werift viewers
  const pid = platform.child.pid as number;
  const cpu = async (seconds: number) => {
    const before = ticksOf(pid);
    await sleep(seconds * 1000);
    return (ticksOf(pid) - before) / TICK / seconds;
  };
  const idle = await cpu(4);
  const cpuBy: Record<number, { share: number; gaps: number; received: number }> = {};
  for (const n of [1, 10, 50]) {
    const viewers: WhepPlay[] = [];
    const lastSeq = new Map<WhepPlay, number>();
    let gaps = 0;
    for (let i = 0; i < n; i++) {
      const v = await playWhep(whep, {
        onVideo: (rtp) => {
          const last = lastSeq.get(v);
          if (last !== undefined && (rtp.header.sequenceNumber - last + 65536) % 65536 > 1) gaps++;
          lastSeq.set(v, rtp.header.sequenceNumber);
        },
      });
      viewers.push(v);
    }
    await sleep(3000);
    const share = await cpu(5);
    cpuBy[n] = { share, gaps, received: viewers.filter((v) => v.videoPackets.length > 0).length };
    for (const v of viewers) await v.close();
    await sleep(1000);
  }
  await publisher.stop();
  baseline.stop();

  const base95 = quantile(baseline.reader.samples, 0.95);
  const w95 = quantile(werift.reader.samples, 0.95);
  const c95 = quantile(chromium.samples, 0.95);
  console.log(
    'bench/webrtc (720p, 2.5 Mbit/s, one run; baseline: the same encoder decoded on loopback without WebRTC)',
  );
  console.log(
    `baseline encode+decode:   p50 ${ms(quantile(baseline.reader.samples, 0.5))}  p95 ${ms(base95)}  (${baseline.reader.samples.length} frames)`,
  );
  console.log(
    `glass to glass, werift:   p50 ${ms(quantile(werift.reader.samples, 0.5))}  p95 ${ms(w95)}  (${werift.reader.samples.length} frames; ${(w95 / base95).toFixed(2)}x baseline p95)  target p95 <= 400 ms: ${verdict(w95 <= 400)}`,
  );
  console.log(
    `glass to glass, Chromium: p50 ${ms(quantile(chromium.samples, 0.5))}  p95 ${ms(c95)}  (${chromium.samples.length} frames, ${chromium.unread} unread${chromium.error ? `, ${chromium.error}` : ''}; ${(c95 / base95).toFixed(2)}x baseline p95)  target p95 <= 400 ms: ${verdict(c95 <= 400)}`,
  );
  console.log(
    `time to first frame:      werift ${ms(weriftFirstFrame)} (decoded), Chromium ${ms(chromium.firstFrameMs)} (presented)  target <= 1000 ms: ${verdict(Math.max(weriftFirstFrame, chromium.firstFrameMs) <= 1000)}`,
  );
  console.log(
    `CPU of npm start (ingest forwarding), idle with the publisher: ${(idle * 100).toFixed(1)}% of one core`,
  );
  for (const [n, r] of Object.entries(cpuBy)) {
    const extra = r.share - idle;
    console.log(
      `  ${n.padStart(2)} viewers: ${(r.share * 100).toFixed(1)}% of one core (+${(extra * 100).toFixed(1)}% over idle), ${r.received}/${n} receiving, ${r.gaps} RTP sequence gaps${n === '50' ? `  target <= 100%: ${verdict(r.share <= 1)}` : ''}`,
    );
  }
}

main()
  .then(async () => {
    await stopAll();
    process.exit(0);
  })
  .catch(async (error) => {
    console.error(error);
    await stopAll();
    process.exit(1);
  });
