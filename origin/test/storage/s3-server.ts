import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A running s3rver: a real S3-compatible HTTP server on a free 127.0.0.1 port. */
export interface TestS3Server {
  endpoint: string;
  stop(): Promise<void>;
}

// s3rver runs in its own process because it builds ListObjectsV2 continuation tokens with DES,
// which OpenSSL 3 (Node >= 17) only offers through the legacy provider, a flag a process can only
// be given when it starts. The launcher also fixes s3rver's acknowledge-before-write race and
// checks every request's SigV4 signature, which s3rver itself skips.
const LAUNCHER = fileURLToPath(new URL('./s3-server.cjs', import.meta.url));

/** Start s3rver with `bucket` created, storing its data in a fresh temp directory. */
export async function startTestS3Server(bucket: string): Promise<TestS3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'vidra-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', LAUNCHER, directory, bucket], {
    // stdin stays open only while we live: the server exits when it closes, so a killed test
    // worker cannot leave it running.
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const port = await readPort(child);
    return {
      endpoint: `http://127.0.0.1:${port}`,
      async stop() {
        await stopChild(child);
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopChild(child);
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

function readPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`s3rver did not start: ${output}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (output.includes('\n') && line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with ${code} before listening: ${output}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
