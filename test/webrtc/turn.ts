import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../../bench/edge/load.js';

export interface Turn {
  url: string;
  username: string;
  credential: string;
  log: () => string;
  stop(): void;
}

/**
 * Debian's coturn on loopback, on free ports, long-term credentials. `allow-loopback-peers` lets
 * it relay to the ingest node's 127.0.0.1 candidate: for this test only (docs/deploy/webrtc.md).
 */
export async function startTurn(): Promise<Turn> {
  const port = await freePort();
  const relayFirst = 40_000 + Math.floor(Math.random() * 20_000);
  let log = '';
  const child: ChildProcess = spawn(
    'turnserver',
    [
      '-n',
      ...['--listening-ip=127.0.0.1', `--listening-port=${port}`, '--relay-ip=127.0.0.1'],
      ...[`--min-port=${relayFirst}`, `--max-port=${relayFirst + 50}`],
      ...['--lt-cred-mech', '--user=vidra:turn-secret', '--realm=vidra.test', '--fingerprint'],
      ...['--allow-loopback-peers', '--no-cli', '--no-tls', '--no-dtls', '--log-file=stdout', '--simple-log'],
      `--pidfile=/tmp/vidra-turn-${port}.pid`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk) => {
    log = (log + chunk).slice(-20_000);
  });
  child.stderr?.on('data', (chunk) => {
    log = (log + chunk).slice(-20_000);
  });
  const deadline = Date.now() + 5000;
  while (!/listener opened on|IPv4\. UDP listener/i.test(log) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  return {
    url: `turn:127.0.0.1:${port}`,
    username: 'vidra',
    credential: 'turn-secret',
    log: () => log,
    stop: () => child.kill('SIGKILL'),
  };
}
