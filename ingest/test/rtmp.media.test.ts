import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIngestEnv } from '../src/env.js';
import { type RunningIngest, startIngest } from '../src/main.js';
import { OriginDouble } from './origin-double.js';

const TOKEN = 'test-internal-token';
const AUTHORIZE_TIMEOUT_MS = 800;

interface Exit {
  code: number | null;
  ms: number;
  stderr: string;
}

/** Run a command to its end (killed after `killAfterMs`), with its exit code and how long it took. */
function run(command: string, args: string[], killAfterMs = 20_000): Promise<Exit & { stdout: string }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ms: Date.now() - started, stderr, stdout });
    });
  });
}

/** Push a generated 320x180 stream like an encoder would (`seconds` long, 1 s GOP). */
function push(url: string, seconds: number) {
  return run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-re'],
    ...['-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=30', '-f', 'lavfi', '-i', 'sine'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-c:a', 'aac', '-t', String(seconds)],
    ...['-f', 'flv', url],
  ]);
}

/** What a player (the live transcoder) finds at an RTMP URL: codec names, or none. */
async function probe(url: string): Promise<string[]> {
  const result = await run(
    'ffprobe',
    ['-v', 'error', '-rw_timeout', '4000000', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', url],
    8000,
  );
  if (result.code !== 0) return [];
  return result.stdout.split('\n').filter(Boolean).sort();
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('RTMP ingest against an origin double', () => {
  const origin = new OriginDouble(TOKEN);
  let ingest: RunningIngest;
  let base: string;

  beforeAll(async () => {
    await origin.start();
    const env = parseIngestEnv({
      ORIGIN_URL: origin.url,
      INTERNAL_API_TOKEN: TOKEN,
      INGEST_RTMP_PORT: '0',
      // SRT has its own suite (test/live/srt.e2e.test.ts); off here, so no UDP port is taken.
      INGEST_SRT: 'off',
      // WHIP/WHEP signalling would bind 8889: only the WebRTC suite turns it on (on port 0).
      INGEST_WEBRTC: 'off',
      INGEST_NODE_NAME: 'ingest-test',
      INGEST_AUTHORIZE_TIMEOUT_MS: String(AUTHORIZE_TIMEOUT_MS),
    });
    ingest = await startIngest(env, pino({ level: 'silent' }));
    base = `rtmp://127.0.0.1:${ingest.rtmpPort}/live`;
  });

  afterAll(async () => {
    await ingest?.close();
    await origin.stop();
  });

  it('accepts a good key, republishes it under the stream name only, and reports the disconnect', async () => {
    const { streamName } = origin.addChannel({ key: 'goodkey_1' });
    const pushing = push(`${base}/goodkey_1`, 5);
    await until(() => origin.authorizeCalls.some((call) => call.input.streamKey === 'goodkey_1'));
    const call = origin.authorizeCalls.find((c) => c.input.streamKey === 'goodkey_1');
    expect(call?.input).toEqual({
      protocol: 'rtmp',
      streamKey: 'goodkey_1',
      pullBaseUrl: base,
      node: 'ingest-test',
    });

    // The transcoder's view: the stream plays under its name, never under the key.
    expect(await probe(`${base}/${streamName}`)).toEqual(['aac', 'h264']);
    expect(await probe(`${base}/goodkey_1`)).toEqual([]);

    const pushed = await pushing;
    expect(pushed.code, pushed.stderr).toBe(0);
    await until(() => origin.disconnects.length > 0);
    expect(origin.disconnects).toEqual([
      { sessionId: call?.result?.sessionId, node: 'ingest-test', publisher: 1 },
    ]);
  });

  it('refuses a wrong key at once: the encoder fails and nothing is playable', async () => {
    const before = origin.authorizeCalls.length;
    const pushed = await push(`${base}/wrongkey`, 5);
    expect(pushed.code).not.toBe(0);
    expect(pushed.ms).toBeLessThan(3000);
    expect(origin.authorizeCalls.slice(before)).toMatchObject([
      { input: { streamKey: 'wrongkey' }, status: 403 },
    ]);
    expect(await probe(`${base}/wrongkey`)).toEqual([]);
    expect(
      origin.disconnects.filter(
        (d) => !origin.authorizeCalls.some((c) => c.result?.sessionId === d.sessionId),
      ),
    ).toEqual([]);
  });

  it('refuses when the origin does not answer within the timeout, even if it says yes later', async () => {
    const { streamName } = origin.addChannel({ key: 'slowkey', delayMs: AUTHORIZE_TIMEOUT_MS + 1500 });
    const pushed = await push(`${base}/slowkey`, 5);
    expect(pushed.code).not.toBe(0);
    expect(pushed.ms).toBeLessThan(AUTHORIZE_TIMEOUT_MS + 2500);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await probe(`${base}/${streamName}`)).toEqual([]);
  });

  it('lets a newer valid publisher of the same channel replace the older connection', async () => {
    const { streamName } = origin.addChannel({ key: 'samekey' });
    const callsFor = () => origin.authorizeCalls.filter((call) => call.input.streamKey === 'samekey');
    const older = push(`${base}/samekey`, 8);
    await until(() => callsFor().length === 1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const newer = push(`${base}/samekey`, 3);
    await until(() => callsFor().length === 2);

    const olderExit = await older;
    expect(olderExit.code).not.toBe(0);
    expect(olderExit.ms).toBeLessThan(6000);
    expect(await probe(`${base}/${streamName}`)).toEqual(['aac', 'h264']);
    expect((await newer).code).toBe(0);
    // Only the newer connection's end is a disconnect: the older one was replaced, not dropped.
    const sessions = callsFor().map((call) => call.result?.sessionId);
    await until(() => origin.disconnects.some((d) => d.sessionId === sessions[1]));
    expect(origin.disconnects.filter((d) => d.sessionId === sessions[0])).toEqual([]);
  });

  it('survives a connection that sends garbage', async () => {
    const socket = connect(ingest.rtmpPort, '127.0.0.1');
    socket.on('error', () => {});
    socket.resume();
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.end(randomBytes(20_000));
    await new Promise((resolve) => socket.once('close', resolve));
    // Still serving: a good key goes through afterwards.
    origin.addChannel({ key: 'afterjunk' });
    expect((await push(`${base}/afterjunk`, 1)).code).toBe(0);
  });

  it('serves no name that was never accepted', async () => {
    expect(await probe(`${base}/s_neverpublished`)).toEqual([]);
    expect(await probe(`rtmp://127.0.0.1:${ingest.rtmpPort}/other/goodkey_1`)).toEqual([]);
  });
});
