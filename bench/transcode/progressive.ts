/**
 * Time to first play of a source that cannot be stream-copied (VP9), with progressive publish
 * against the old wait-for-the-ladder, measured in one run on one source:
 *   (baseline) the VOD ladder: nothing plays until it has finished;
 *   (progressive) the same ladder with EVENT playlists: playable once every rendition has its
 *   first segment (what the transcoder then uploads and publishes; see jobs/progressive.ts).
 * The upload and publish themselves are measured end to end through the edge by
 * test/pipeline/progressive.e2e.test.ts. See bench/README.md.
 *
 *   npx tsx bench/transcode/progressive.ts [--seconds 30] [--preset veryfast]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROGRESSIVE_POLL_MS, readGrowingPlaylists } from '../../transcoder/src/jobs/progressive.js';
import { parsePreset } from '../../transcoder/src/media/plan.js';
import { probeMedia } from '../../transcoder/src/media/probe.js';
import { runProcess } from '../../transcoder/src/media/process.js';
import { isWebCompatible, type LadderWatcher, transcodeToHls } from '../../transcoder/src/media/transcode.js';
import { round, table } from './measure.js';
import { generateSource } from './source.js';

/** The acceptance bound: playable within this long of the upload completing. */
const FIRST_PLAY_TARGET_SECONDS = 10;

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    preset: { type: 'string', default: 'veryfast' },
  },
});
const seconds = Math.max(20, Number(values.seconds));
const preset = parsePreset(values.preset);
const signal = AbortSignal.timeout(30 * 60_000);
const dir = await mkdtemp(join(tmpdir(), 'vidra-bench-progressive-'));
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Notes when every rendition first lists a finished segment, polling as the publisher does. */
function firstSegmentsWatcher(outDir: string, started: number) {
  let firstAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const watcher: LadderWatcher = {
    start(renditions) {
      timer = setInterval(async () => {
        if (firstAt === undefined && (await readGrowingPlaylists(outDir, renditions))) {
          firstAt = Date.now() - started;
          clearInterval(timer);
        }
      }, PROGRESSIVE_POLL_MS);
    },
    async stop() {
      clearInterval(timer);
    },
  };
  return { watcher, firstSeconds: () => (firstAt === undefined ? undefined : firstAt / 1000) };
}

try {
  const h264 = join(dir, 'source.mp4');
  const source = join(dir, 'source.webm');
  log(`generating a ${seconds} s 1080p30 source, then its VP9 copy, in ${dir} (not measured)`);
  await generateSource(h264, seconds, signal);
  // biome-ignore format: an option and its value per line
  const vp9 = await runProcess('ffmpeg', [
    '-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-i', h264,
    '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', '-b:v', '6M',
    '-c:a', 'libopus', '-b:a', '128k', source,
  ], { signal });
  if (vp9.code !== 0) throw new Error(`could not write the VP9 source: ${vp9.stderr.slice(-500)}`);
  const probe = await probeMedia(source, { signal });
  if (isWebCompatible(probe)) throw new Error('the bench source should not be web compatible');

  log(`(baseline) VOD ladder, preset ${preset}`);
  let started = Date.now();
  const baseline = await transcodeToHls({ input: source, outDir: join(dir, 'vod'), probe, preset, signal });
  const baselineSeconds = (Date.now() - started) / 1000;
  await rm(join(dir, 'vod'), { recursive: true, force: true });

  log(`(progressive) EVENT ladder, preset ${preset}`);
  started = Date.now();
  const progressive = firstSegmentsWatcher(join(dir, 'event'), started);
  await transcodeToHls({
    input: source,
    outDir: join(dir, 'event'),
    probe,
    preset,
    signal,
    watcher: progressive.watcher,
  });
  const progressiveSeconds = (Date.now() - started) / 1000;
  const first = progressive.firstSeconds();
  if (first === undefined)
    throw new Error('the progressive ladder never had a first segment in every rendition');

  const renditions = baseline.renditions.map((r) => r.name).join(', ');
  console.log(
    `\nsource: ${probe.durationSeconds.toFixed(1)} s 1920x1080 30 fps VP9 + Opus; preset ${preset}`,
  );
  console.log(`renditions: ${renditions}; load average at the end: ${loadavg()[0]?.toFixed(2)}\n`);
  console.log(
    table([
      ['run', 'first playable s', 'ladder s'],
      ['(baseline) wait for the VOD ladder', baselineSeconds.toFixed(1), baselineSeconds.toFixed(1)],
      ['(progressive) EVENT ladder', first.toFixed(1), progressiveSeconds.toFixed(1)],
    ]),
  );
  const ratio = round(first / baselineSeconds, 3);
  const overhead = round(progressiveSeconds / baselineSeconds, 3);
  console.log(
    `\nfirst playable: progressive/baseline = ${ratio} (${round(baselineSeconds / first, 1)}x sooner); ` +
      `target <= ${FIRST_PLAY_TARGET_SECONDS} s: ${first <= FIRST_PLAY_TARGET_SECONDS ? 'met' : 'NOT met'} (${first.toFixed(1)} s)`,
  );
  console.log(`ladder wall, progressive/baseline = ${overhead} (EVENT playlists should cost nothing)\n`);
  console.log(
    JSON.stringify({
      bench: 'transcode-progressive',
      preset,
      sourceSeconds: round(probe.durationSeconds, 3),
      renditions: baseline.renditions.map((r) => r.name),
      firstPlayableSeconds: { baseline: round(baselineSeconds, 3), progressive: round(first, 3) },
      ladderSeconds: { baseline: round(baselineSeconds, 3), progressive: round(progressiveSeconds, 3) },
      ratios: { firstPlayable: ratio, ladder: overhead },
    }),
  );
} catch (error) {
  process.exitCode = 1;
  log(signal.aborted ? `stopped: ${String(signal.reason)}` : `failed: ${String(error)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
