/**
 * What the benches that run real processes on a database of their own share: a fresh database on
 * DATABASE_URL_TEST's server, a scratch folder, children started in their own process groups, one
 * cleanup that kills them all and drops the database, and a deadline after which the bench stops
 * by itself.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface BenchHarness {
  /** The bench's own database (created by `createDatabase`). */
  dbUrl: string;
  /** The server of DATABASE_URL_TEST, for benches that name databases themselves. */
  serverUrl: string;
  dbName: string;
  workDir: string;
  admin: postgres.Sql;
  createDatabase(): Promise<void>;
  /** Start `command` (argv[0] first), in its own process group, from the repository root. */
  spawnChild(command: string[], env: Record<string, string>, stdout?: 'ignore' | 'pipe'): ChildProcess;
  /** `node <args>` with this Node, like `spawnChild`. */
  start(args: string[], env: Record<string, string>): ChildProcess;
  /** Kill every child's group, drop the database, remove the scratch folder; stop the deadline. */
  finish(): Promise<void>;
}

export function benchHarness(name: string, maxMinutes: number): BenchHarness {
  const serverUrl = process.env.DATABASE_URL_TEST ?? 'postgres://postgres@127.0.0.1:5432/test';
  const dbName = `vidra_bench_${name}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const children: ChildProcess[] = [];
  const workDir = mkdtempSync(path.join(tmpdir(), `vidra-bench-${name}-`));

  const cleanup = async () => {
    // Each child leads its own process group: wrangler and the edge launcher start workerd, and
    // killing only the first process would leave it behind.
    for (const child of children) {
      if (child.exitCode !== null || !child.pid) continue;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }
    await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
    await admin.end({ timeout: 2 }).catch(() => {});
    rmSync(workDir, { recursive: true, force: true });
  };
  const deadline = setTimeout(() => {
    console.error(`bench/${name}: over ${maxMinutes} minutes; stopping`);
    void cleanup().then(() => process.exit(1));
  }, maxMinutes * 60_000);

  const spawnChild = (
    command: string[],
    env: Record<string, string>,
    stdout: 'ignore' | 'pipe' = 'ignore',
  ) => {
    const child = spawn(command[0] as string, command.slice(1), {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', stdout, 'inherit'],
      detached: true,
    });
    children.push(child);
    return child;
  };
  return {
    dbUrl: url.toString(),
    serverUrl,
    dbName,
    workDir,
    admin,
    createDatabase: async () => {
      await admin.unsafe(`create database ${dbName}`);
    },
    spawnChild,
    start: (args, env) => spawnChild([process.execPath, ...args], env),
    finish: async () => {
      clearTimeout(deadline);
      await cleanup();
    },
  };
}
