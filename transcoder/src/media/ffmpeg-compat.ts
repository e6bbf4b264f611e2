import { HLS_FILES, renditionFile } from '../../../protocol/media.js';
import { runProcess } from './process.js';

const support = new Map<string, Promise<boolean>>();

/**
 * Whether this FFmpeg knows `-fps_mode` (5.1 and later). The npm-shipped fallback binary is an
 * older build that only has the global `-vsync`; Debian's and current releases have both.
 */
export function supportsFpsMode(ffmpegPath: string): Promise<boolean> {
  let known = support.get(ffmpegPath);
  if (!known) {
    const options = { timeoutMs: 10_000, captureStdout: true, maxStdoutBytes: 8 * 1024 * 1024 };
    known = runProcess(ffmpegPath, ['-hide_banner', '-h', 'full'], options).then(
      (result) => result.stdout.includes('-fps_mode'),
      () => true,
    );
    support.set(ffmpegPath, known);
  }
  return known;
}

/** The ladder's output argument ends with this: every `%v` rendition's media playlist. */
const VARIANT_PLAYLIST = `/${renditionFile('%v', HLS_FILES.mediaPlaylist)}`;

/** A legacy run: the arguments, plus folders to rename afterwards (`%v` numbered instead of named). */
export interface LegacyRun {
  args: string[];
  renames: Array<{ from: string; to: string }>;
}

/**
 * Rewrite an argument list for FFmpeg builds older than 5.1: drop the per-output `-fps_mode` and
 * put one global `-vsync` first (the ladder's `fps` filter already makes the rate constant, so
 * passthrough keeps the same frames), and drop `name:` from `-var_stream_map`, which those builds
 * reject; their numbered `%v` folders are renamed afterwards. Pure, so it is unit-tested.
 */
export function legacyArgs(args: readonly string[]): LegacyRun {
  const out: string[] = [];
  const renames: LegacyRun['renames'] = [];
  let mode: string | undefined;
  let names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-fps_mode') {
      mode ??= args[i + 1];
      i++;
      continue;
    }
    if (arg === '-var_stream_map') {
      const streams = (args[i + 1] ?? '').split(' ');
      names = streams.map((stream) => /(?:^|,)name:([^,]+)/.exec(stream)?.[1] ?? '');
      out.push(arg, streams.map((stream) => stream.replace(/,?name:[^,]+/, '')).join(' '));
      i++;
      continue;
    }
    const folder = arg.endsWith(VARIANT_PLAYLIST) ? arg.slice(0, -VARIANT_PLAYLIST.length) : undefined;
    if (folder !== undefined && names.length) {
      names.forEach((name, index) => {
        if (name) renames.push({ from: `${folder}/${index}`, to: `${folder}/${name}` });
      });
    }
    out.push(arg);
  }
  return { args: mode ? ['-vsync', mode, ...out] : out, renames };
}

/** How to run `args` with `ffmpegPath`: unchanged for current FFmpeg, rewritten for older builds. */
export async function argsFor(ffmpegPath: string, args: string[]): Promise<LegacyRun> {
  return args.includes('-fps_mode') && !(await supportsFpsMode(ffmpegPath))
    ? legacyArgs(args)
    : { args, renames: [] };
}
