import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

let setprivWorks: boolean | undefined;

/** Spawn FFmpeg tied to this process (setpriv --pdeathsig): a killed ingest leaves no FFmpeg behind. */
export function spawnFfmpeg(ffmpegPath: string, args: string[]): ChildProcess {
  setprivWorks ??=
    spawnSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore' }).status === 0;
  const stdio: ['ignore', 'ignore', 'pipe'] = ['ignore', 'ignore', 'pipe'];
  return setprivWorks
    ? spawn('setpriv', ['--pdeathsig', 'KILL', '--', ffmpegPath, ...args], { stdio })
    : spawn(ffmpegPath, args, { stdio });
}

/** Keep the last 2,000 characters of a child's stderr, for the log line when it stops. */
export function tailStderr(child: ChildProcess): () => string {
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-2000);
  });
  return () => tail.trim();
}
