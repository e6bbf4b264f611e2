import { spawn } from 'node:child_process';
import { waitFor } from './stack.js';

export interface Push {
  code: number | null;
  stderr: string;
}

/**
 * Push a generated 320x180 stream with a 440 Hz tone as an encoder would (ultrafast, zerolatency,
 * a fixed 1 s GOP), `seconds` long, to its end; killed 20 s after it should have ended. FLV for
 * RTMP, MPEG-TS for SRT.
 */
export function pushTestStream(
  url: string,
  seconds: number,
  format: 'flv' | 'mpegts' = 'flv',
): Promise<Push> {
  return new Promise((resolve) => {
    const child = spawn(
      'ffmpeg',
      [
        ...['-hide_banner', '-loglevel', 'error', '-re'],
        ...['-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440'],
        ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency'],
        ...['-g', '30', '-keyint_min', '30', '-sc_threshold', '0'],
        ...['-c:a', 'aac', '-t', String(seconds), '-f', format, url],
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 20) * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/**
 * Wait for `pushing` to finish, then for the video (`read` answers GET /api/v1/videos/:id) to leave
 * `live`: with LIVE_RECONNECT_SECONDS=3 that is the window plus one sweep. Returns both.
 */
export async function pushThenOffAir<T extends { state: string }>(
  pushing: Promise<Push>,
  read: () => Promise<T>,
  describe: () => string,
): Promise<{ done: Push; ended: T }> {
  const done = await pushing;
  const ended = await waitFor(
    async () => {
      const current = await read();
      return current.state === 'live' ? undefined : current;
    },
    20_000,
    describe,
  );
  return { done, ended };
}

/** Wait (15 s at most) until the channel's live endpoint (`read` answers GET .../live) is on air. */
export function waitOnAir<T extends { state: string; videoId: string | null }>(
  read: () => Promise<T>,
  describe: () => string,
): Promise<T & { videoId: string }> {
  return waitFor(
    async () => {
      const state = await read();
      return state.state === 'live' && state.videoId ? (state as T & { videoId: string }) : undefined;
    },
    15_000,
    describe,
  );
}
