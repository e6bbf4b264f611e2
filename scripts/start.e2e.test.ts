import type { ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPlatform, startPlatform } from '../test/support/platform.js';
import { commandLines, generateClip, waitFor } from '../test/support/stack.js';
import { uploadWhole } from '../test/support/tus.js';

/** Runs `npm start`'s entry exactly as a newcomer would, on fresh embedded data. */
describe('npm start', () => {
  let platform: RunningPlatform;
  let child: ChildProcess;
  let dataDir: string;
  let originPort: number;
  let edgePort: number;
  let ingestPort: number;
  const output = () => platform.output();

  beforeAll(async () => {
    platform = await startPlatform();
    ({ child, dataDir, originPort, edgePort, ingestPort } = platform);
  }, 130_000);

  afterAll(() => platform.stop());

  it('prints the URLs to open', () => {
    expect(output()).toContain('Vidra is running');
    expect(output()).toContain(`http://127.0.0.1:${edgePort}/`);
    expect(output()).toContain(`http://127.0.0.1:${originPort}/healthz`);
    expect(output()).toContain('embedded PGlite');
    expect(output()).toContain(`RTMP:     rtmp://127.0.0.1:${ingestPort}/live`);
  });

  it('serves the origin health checks on embedded PGlite', async () => {
    expect(await (await fetch(`http://127.0.0.1:${originPort}/healthz`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`http://127.0.0.1:${originPort}/readyz`)).json()).toMatchObject({ ok: true });
  });

  it('answers API calls through the edge, running in workerd', async () => {
    const edge = `http://127.0.0.1:${edgePort}`;
    const register = await fetch(`${edge}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'first@example.com',
        username: 'first_user',
        password: 'a long password',
      }),
    });
    // Registration opens no session, whether or not the email was taken: sign in afterwards.
    expect(register.status).toBe(202);
    expect(await register.json()).toEqual({ message: expect.any(String) });
    const login = await fetch(`${edge}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'first@example.com', password: 'a long password' }),
    });
    expect(login.status).toBe(200);
    const session = await login.json();
    expect(session.user.role).toBe('admin');
    const me = await fetch(`${edge}/api/v1/users/me`, {
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    expect((await me.json()).username).toBe('first_user');
    const list = await fetch(`${edge}/api/v1/videos`);
    expect(await list.json()).toEqual({ total: 0, data: [], nextCursor: null });
  });

  it('takes a tus upload through the edge and transcodes it with the built-in transcoder', async () => {
    const edge = `http://127.0.0.1:${edgePort}`;
    const login = await fetch(`${edge}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'first@example.com', password: 'a long password' }),
    });
    const { accessToken } = await login.json();
    const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    const channel = await (
      await fetch(`${edge}/api/v1/channels`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ handle: 'first', displayName: 'First' }),
      })
    ).json();
    const created = await (
      await fetch(`${edge}/api/v1/videos`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ channelId: channel.id, title: 'Via edge' }),
      })
    ).json();
    const clip = await generateClip(path.join(dataDir, 'clip.mp4'), { width: 320, height: 240, seconds: 2 });
    const { completed } = await uploadWhole(readFileSync(clip), {
      endpoint: `${edge}/api/v1/uploads`,
      token: accessToken,
      videoId: created.video.id,
    });
    expect(completed).toBe(true);
    const ready = await waitFor(
      async () => {
        const video = await (
          await fetch(`${edge}/api/v1/videos/${created.video.id}`, { headers: auth })
        ).json();
        return video.state === 'ready' && video.progress === 100 ? video : undefined;
      },
      60_000,
      output,
    );
    expect(ready.renditions).toEqual([expect.objectContaining({ width: 320, height: 240 })]);

    // Signed playback through the edge: the master plays, a tampered token is refused.
    const playback = await fetch(`${edge}/api/v1/videos/${created.video.id}/playback`, {
      method: 'POST',
      headers: auth,
    });
    expect(playback.status).toBe(200);
    const { hls, thumbnail } = await playback.json();
    expect(hls).toMatch(new RegExp(`^${edge}/play/[\\w-]+\\.[\\w-]+\\.[\\w-]+/master\\.m3u8$`));
    const master = await fetch(hls);
    expect(master.status).toBe(200);
    expect(await master.text()).toContain('#EXT-X-STREAM-INF');
    expect((await fetch(thumbnail)).headers.get('content-type')).toBe('image/jpeg');
    const tampered = hls.replace(
      /\/play\/([^/]+)\//,
      (_: string, token: string) => `/play/${token.slice(0, -2)}xx/`,
    );
    const refused = await fetch(tampered);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('forbidden');
  });

  it('hands wrangler its secrets in a 0600 file, never on its command line', () => {
    const secrets = JSON.parse(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8'));
    const wrangler = commandLines().filter((argv) => argv.some((arg) => arg.includes('wrangler')));
    expect(wrangler.length).toBeGreaterThan(0);
    for (const argv of commandLines()) {
      const line = argv.join(' ');
      expect(line).not.toContain(secrets.internalApiToken);
      expect(line).not.toContain(secrets.playbackKeys);
      expect(line).not.toContain(secrets.playbackKeys.split(':')[1]);
    }
    const file = path.join(dataDir, 'edge-secrets', '.dev.vars');
    expect(wrangler.some((argv) => argv.includes(file))).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toContain(`PLAYBACK_KEYS='${secrets.playbackKeys}'`);
  });

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    await expect(fetch(`http://127.0.0.1:${originPort}/healthz`)).rejects.toThrow();
    // The in-process ingest let go of its port too.
    const probe = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(ingestPort, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => probe.close(resolve));
  });
});
