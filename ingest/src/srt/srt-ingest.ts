import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import type { Logger } from 'pino';
import type { LiveSrtListeners } from '../../../protocol/live.js';
import type { IngestOriginClient } from '../origin-client.js';
import { RTMP_APP } from '../stream-path.js';
import { srtRelayArgs } from './relay-args.js';
import type { SrtRelayNames } from './relay-names.js';

type Listener = LiveSrtListeners['listeners'][number];

export interface SrtIngestOptions {
  /** Address the SRT listeners bind. */
  host: string;
  /** Where this node's RTMP server takes the relays' loopback publishes. */
  rtmpHost: string;
  rtmpPort: number;
  latencyMs: number;
  /** How often the listener list is re-read (new channels, rotated passphrases). */
  pollMs: number;
  ffmpegPath: string;
  origin: Pick<IngestOriginClient, 'srtListeners'>;
  names: SrtRelayNames;
  logger: Logger;
}

/** One running SRT listener: an FFmpeg waiting for (or relaying) one caller. */
interface Relay {
  readonly listener: Listener;
  readonly name: string;
  readonly process: ChildProcess;
  readonly startedAt: number;
  /** Set once FFmpeg opened its output, i.e. a caller passed the handshake and sends media. */
  relaying: boolean;
  stderr: string;
}

/** Restart delays after quick failures (a busy port, a refused publish): 0.5 s doubling to 10 s. */
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;
/** A relay that ran this long was a real session: its end restarts the listener at once. */
const HEALTHY_RUN_MS = 5000;

/**
 * SRT ingest: one FFmpeg listener per channel port, with that channel's passphrase, from the
 * origin's `GET /internal/v1/live/srt-listeners`. A wrong passphrase is refused by the SRT
 * handshake; an accepted caller is relayed to this node's RTMP server (`relay-args.ts`), where it
 * is authorized like any publish. A listener whose caller left is started again, so a dropped
 * encoder can reconnect within the session's reconnect window; a rotated passphrase replaces an
 * idle listener at once and a relaying one once its caller leaves.
 */
export class SrtIngest {
  readonly #options: SrtIngestOptions;
  readonly #relays = new Map<number, Relay>();
  readonly #wanted = new Map<number, Listener>();
  readonly #retryMs = new Map<number, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #poll?: NodeJS.Timeout;
  #closed = false;

  constructor(options: SrtIngestOptions) {
    this.#options = options;
  }

  /** Whether FFmpeg on this machine has SRT (Debian's does, through libsrt). */
  static available(ffmpegPath: string): boolean {
    const result = spawnSync(ffmpegPath, ['-hide_banner', '-protocols'], { encoding: 'utf8' });
    return result.status === 0 && /^\s*srt\s*$/m.test(result.stdout.split('Output:')[0] ?? '');
  }

  /** Read the listener list now and then every `pollMs`. Never throws: a failed read is retried. */
  async start(): Promise<void> {
    await this.refresh();
    this.#poll = setInterval(() => void this.refresh(), this.#options.pollMs);
    this.#poll.unref();
  }

  /** Ports with a listener right now (for operators and tests). */
  get ports(): number[] {
    return [...this.#relays.keys()].sort((a, b) => a - b);
  }

  /** Re-read the listeners and start, replace or stop FFmpeg listeners to match. */
  async refresh(): Promise<void> {
    let listeners: Listener[];
    try {
      listeners = (await this.#options.origin.srtListeners()).listeners;
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'could not read the SRT listeners; keeping the current ones');
      return;
    }
    if (this.#closed) return;
    this.#wanted.clear();
    for (const listener of listeners) this.#wanted.set(listener.port, listener);
    for (const [port, relay] of this.#relays) {
      const wanted = this.#wanted.get(port);
      const stale = !wanted || wanted.passphrase !== relay.listener.passphrase;
      // A relaying caller keeps its session; it is replaced when it leaves.
      if (stale && !relay.relaying) relay.process.kill('SIGKILL');
    }
    for (const port of this.#wanted.keys()) if (!this.#relays.has(port)) this.#startRelay(port);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#poll);
    for (const timer of this.#timers) clearTimeout(timer);
    const exits = [...this.#relays.values()].map(
      (relay) => new Promise<void>((resolve) => relay.process.once('close', () => resolve())),
    );
    for (const relay of this.#relays.values()) relay.process.kill('SIGTERM');
    const killLater = setTimeout(() => {
      for (const relay of this.#relays.values()) relay.process.kill('SIGKILL');
    }, 2000);
    await Promise.all(exits);
    clearTimeout(killLater);
  }

  #startRelay(port: number): void {
    const listener = this.#wanted.get(port);
    if (!listener || this.#closed || this.#relays.has(port)) return;
    const { host, rtmpHost, rtmpPort, latencyMs, ffmpegPath, names } = this.#options;
    const relayRef: { relay?: Relay } = {};
    const name = names.issue(listener.passphrase, () => {
      if (relayRef.relay) relayRef.relay.relaying = true;
    });
    const args = srtRelayArgs({
      host,
      port,
      passphrase: listener.passphrase,
      latencyMs,
      publishUrl: `rtmp://${rtmpHost.includes(':') ? `[${rtmpHost}]` : rtmpHost}:${rtmpPort}/${RTMP_APP}/${name}`,
    });
    // setpriv ties FFmpeg to this process: a killed ingest leaves no listener holding the port.
    const child = hasSetpriv()
      ? spawn('setpriv', ['--pdeathsig', 'KILL', '--', ffmpegPath, ...args], {
          stdio: ['ignore', 'ignore', 'pipe'],
        })
      : spawn(ffmpegPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const relay: Relay = {
      listener,
      name,
      process: child,
      startedAt: Date.now(),
      relaying: false,
      stderr: '',
    };
    relayRef.relay = relay;
    this.#relays.set(port, relay);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      relay.stderr = (relay.stderr + chunk).slice(-2000);
    });
    child.once('error', (error) =>
      this.#options.logger.error({ err: error, port }, 'could not start the SRT listener'),
    );
    child.once('close', (code, signal) => {
      names.revoke(name);
      if (this.#relays.get(port) === relay) this.#relays.delete(port);
      if (this.#closed) return;
      const ranMs = Date.now() - relay.startedAt;
      const log = this.#options.logger;
      if (relay.relaying) log.info({ port, code, signal }, 'SRT caller left; listening again');
      else if (signal !== 'SIGKILL')
        log.warn({ port, code, signal, stderr: relay.stderr.trim().slice(-500) }, 'SRT listener stopped');
      const quick = !relay.relaying && ranMs < HEALTHY_RUN_MS && signal !== 'SIGKILL';
      const delay = quick ? (this.#retryMs.get(port) ?? FIRST_RETRY_MS) : 0;
      this.#retryMs.set(port, quick ? Math.min(delay * 2, MAX_RETRY_MS) : FIRST_RETRY_MS);
      // The passphrase may have rotated while the caller was on: read the list before listening again.
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        void (relay.relaying ? this.refresh() : Promise.resolve()).then(() => this.#startRelay(port));
      }, delay);
      this.#timers.add(timer);
    });
  }
}

let setprivChecked: boolean | undefined;
function hasSetpriv(): boolean {
  setprivChecked ??=
    spawnSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore' }).status === 0;
  return setprivChecked;
}
