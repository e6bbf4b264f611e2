import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The first line of `<binary> -version`, or a readable reason it could not run. */
export async function probeBinary(
  binary: string,
): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
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
