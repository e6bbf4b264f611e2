import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../bench/edge/load.js';

const run = promisify(execFile);

/** The newest PostgreSQL server binaries Debian installed (`/usr/lib/postgresql/<major>/bin`). */
function postgresBin(): string {
  const majors = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (!majors[0])
    throw new Error('PostgreSQL server binaries are not installed (apt-get install postgresql)');
  return path.join('/usr/lib/postgresql', majors[0], 'bin');
}

/** A throwaway PostgreSQL cluster on a free port, so a fault injected into it is seen by nobody else. */
export interface PostgresCluster {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * initdb into a temporary folder and start it on a free loopback port, trust auth. PostgreSQL
 * refuses to run as root, so under root (CI) the cluster belongs to the `postgres` user.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = postgresBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'vidra-fault-pg-'));
  const dataDir = path.join(dir, 'data');
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    chmodSync(dir, 0o755);
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const as = (command: string, args: string[]) =>
    asRoot
      ? run('setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args], {
          cwd: dir,
        })
      : run(command, args, { cwd: dir });
  await as(path.join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '-A',
    'trust',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`;
  const pgCtl = (args: string[]) => as(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-s', ...args]);
  const start = async () => {
    await pgCtl(['-w', '-t', '30', '-o', options, '-l', path.join(dir, 'log'), 'start']);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    // Fast shutdown: clients are disconnected at once, like a crash or a failover.
    stop: async () => {
      await pgCtl(['-w', '-m', 'fast', 'stop']);
    },
    async dispose() {
      await pgCtl(['-w', '-m', 'immediate', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
