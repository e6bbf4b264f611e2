import { execFile } from 'node:child_process';
import { chmod } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

export type BinaryProbe = { ok: true; version: string } | { ok: false; reason: string };

/** The first line of `<binary> -version`, or a readable reason it could not run. */
export async function probeBinary(binary: string): Promise<BinaryProbe> {
  try {
    const { stdout } = await run(binary, ['-hide_banner', '-version'], { timeout: 10_000 });
    return { ok: true, version: stdout.split('\n')[0]?.trim() ?? 'unknown' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason: code === 'ENOENT' ? `${binary} is not installed` : `${binary} failed: ${String(error)}`,
    };
  }
}

/** Path of the binary shipped by an optional npm package, made executable (npm may skip its chmod script). */
async function npmShipped(packageName: string): Promise<string | undefined> {
  try {
    const { path } = require(packageName) as { path: string };
    await chmod(path, 0o755).catch(() => undefined);
    return path;
  } catch {
    return undefined;
  }
}

/**
 * Find FFmpeg and ffprobe: an explicit path wins, then the system's (Debian's `ffmpeg`), then the
 * binaries shipped by the optional npm packages @ffmpeg-installer/ffmpeg and @ffprobe-installer/ffprobe.
 */
export async function locateFfmpeg(explicit: { ffmpeg?: string | undefined; ffprobe?: string | undefined }) {
  const pick = async (name: 'ffmpeg' | 'ffprobe', given: string | undefined, fallbackPackage: string) => {
    if (given) return { path: given, probe: await probeBinary(given) };
    const system = await probeBinary(name);
    if (system.ok) return { path: name, probe: system };
    const shipped = await npmShipped(fallbackPackage);
    if (shipped) return { path: shipped, probe: await probeBinary(shipped) };
    return { path: name, probe: system };
  };
  return {
    ffmpeg: await pick('ffmpeg', explicit.ffmpeg, '@ffmpeg-installer/ffmpeg'),
    ffprobe: await pick('ffprobe', explicit.ffprobe, '@ffprobe-installer/ffprobe'),
  };
}
