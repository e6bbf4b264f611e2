import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../bench/edge/load.js';

const run = promisify(execFile);

/** Debian's PostgreSQL binaries (the newest installed major). */
function pgBin(tool: string): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  return path.join('/usr/lib/postgresql', versions[0] as string, 'bin', tool);
}

/** PostgreSQL refuses to run as root: run its tools as the `postgres` user then. */
async function pg(tool: string, args: string[]): Promise<string> {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', pgBin(tool), ...args]]
    : [pgBin(tool), args];
  const { stdout } = await run(command, argv, { timeout: 60_000 });
  return stdout;
}

export interface StreamingPair {
  primaryUrl: (database: string) => string;
  replicaUrl: (database: string) => string;
  /** Stop the replica's server (fast shutdown), as if its machine died. */
  stopReplica(): Promise<void>;
  stop(): Promise<void>;
}

const serverOptions = (dir: string, port: number) =>
  `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c shared_buffers=16MB -c max_connections=40`;

/**
 * A primary (initdb) and its streaming hot standby (`pg_basebackup -R`), each on a free loopback port,
 * in a scratch folder: a real replica, as the production layout's managed PostgreSQL runs.
 */
export async function startStreamingPair(): Promise<StreamingPair> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vidra-pg-pair-'));
  if (process.getuid?.() === 0)
    chownSync(
      dir,
      Number((await run('id', ['-u', 'postgres'])).stdout),
      Number((await run('id', ['-g', 'postgres'])).stdout),
    );
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const primary = path.join(dir, 'primary');
  const replica = path.join(dir, 'replica');
  await pg('initdb', ['-D', primary, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const start = (data: string, port: number) =>
    pg('pg_ctl', ['-D', data, '-o', serverOptions(dir, port), '-l', `${data}.log`, '-w', 'start']);
  await start(primary, primaryPort);
  await pg('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primaryPort),
    '-U',
    'postgres',
    '-D',
    replica,
    '-R',
    '-X',
    'stream',
  ]);
  await start(replica, replicaPort);
  const url = (port: number) => (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const stopServer = (data: string) => pg('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => '');
  return {
    primaryUrl: url(primaryPort),
    replicaUrl: url(replicaPort),
    stopReplica: async () => void (await stopServer(replica)),
    async stop() {
      await stopServer(replica);
      await stopServer(primary);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
