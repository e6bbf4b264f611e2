import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../bench/edge/load.js';
import { childrenOf, generateClip, spawnTier, spawnTranscoder, waitFor } from './stack.js';
import { uploadWhole } from './tus.js';

/** `npm run <tier>` as compose, k8s or systemd would run it, in its own process group, output collected. */
export const npmRun = (tier: string, env: Record<string, string>) =>
  spawnTier(['npm', 'run', '--silent', tier], env);

/** The FFmpeg a transcoder process runs, if any. */
export const ffmpegOf = (pid: number) => childrenOf(pid).find((p) => p.comm === 'ffmpeg');

/** `npm run edge` (workerd serve on a generated config in `buildDir`) in front of `origins`, once it listens. */
export async function startEdgeTier(
  origins: string,
  buildDir: string,
  internalApiToken: string,
  vars: Record<string, string> = {},
) {
  const port = await freePort();
  const edge = npmRun('edge', {
    ORIGINS: origins,
    INTERNAL_API_TOKEN: internalApiToken,
    PLAYBACK_KEYS: 'k1:tiers-playback-key-0123456789abcdefghijkl',
    EDGE_PORT: String(port),
    EDGE_BUILD_DIR: buildDir,
    ...vars,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => (edge.output().includes(`edge listening on ${url}`) ? true : undefined),
    60_000,
    edge.output,
  );
  return { edge, url };
}

/**
 * Upload a clip for `videoId`, let a slow transcoder start on it, start a second one, then kill -9
 * the first (its Node process only, not its group: nothing in Node gets to clean up). Returns the
 * killed job's FFmpeg, the time of the kill and the rescuer, for the caller's assertions.
 */
export async function killTranscoderMidJob(options: {
  originUrl: string;
  token: string;
  videoId: string;
  dir: string;
  runnerRegistrationToken: string;
  running: ChildProcess[];
  seconds: number;
}) {
  const tokenEnv = { RUNNER_REGISTRATION_TOKEN: options.runnerRegistrationToken };
  // The victim encodes slowly so that it is mid-job when killed; the rescuer starts afterwards.
  const victim = spawnTranscoder(options.originUrl, 'victim', { ...tokenEnv, X264_PRESET: 'slow' });
  options.running.push(victim.child);
  const clip = await generateClip(path.join(options.dir, 'clip.mp4'), {
    width: 640,
    height: 360,
    seconds: options.seconds,
    codec: 'mpeg4',
  });
  await uploadWhole(readFileSync(clip), {
    endpoint: `${options.originUrl}/api/v1/uploads`,
    token: options.token,
    videoId: options.videoId,
  });
  const victimPid = victim.child.pid as number;
  await waitFor(async () => ffmpegOf(victimPid), 30_000, victim.output);
  const rescuer = spawnTranscoder(options.originUrl, 'rescuer', tokenEnv);
  options.running.push(rescuer.child);
  await waitFor(
    async () => (rescuer.output().includes('transcoder ready') ? true : undefined),
    30_000,
    rescuer.output,
  );
  // The ladder's FFmpeg, running now (the first FFmpeg seen may have been a short probe).
  const ffmpeg = await waitFor(async () => ffmpegOf(victimPid), 10_000, victim.output);
  process.kill(victimPid, 'SIGKILL');
  return { ffmpeg, killedAt: Date.now(), rescuer };
}
