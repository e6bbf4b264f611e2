import { randomBytes } from 'node:crypto';

/**
 * One-time RTMP names for relays that republish to this node's own RTMP server as `/live/<name>`
 * (SRT listeners, WHIP publishers). The name stands for what was already checked before media
 * flowed (an SRT passphrase, a WHIP session the origin authorized). 256 random bits, consumed by
 * its first publish, so knowing an old one (it is on FFmpeg's command line) gets nobody in.
 */
export class OneTimeRelayNames<T> {
  readonly #names = new Map<string, { value: T; onTaken: () => void }>();

  /** A fresh name standing for `value`; `onTaken` runs when its publish arrives. */
  issue(value: T, onTaken: () => void = () => {}): string {
    const name = randomBytes(32).toString('base64url');
    this.#names.set(name, { value, onTaken });
    return name;
  }

  /** What `name` stands for, once; undefined for any other name. */
  take(name: string): T | undefined {
    const entry = this.#names.get(name);
    if (!entry) return undefined;
    this.#names.delete(name);
    entry.onTaken();
    return entry.value;
  }

  /** Forget a name its relay will not use any more; true when it was never taken. */
  revoke(name: string): boolean {
    return this.#names.delete(name);
  }
}
