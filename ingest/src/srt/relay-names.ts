import { randomBytes } from 'node:crypto';

/**
 * One-time RTMP names for SRT relays. An SRT listener's FFmpeg publishes what an accepted caller
 * sends to this node's RTMP server as `/live/<name>`; the name stands for the passphrase the SRT
 * handshake already checked, so the RTMP server authorizes it as `{ protocol: 'srt', streamKey:
 * <passphrase> }`. A name is 256 random bits and is consumed by its first publish, so knowing an
 * old one (it is on FFmpeg's command line) gets nobody in.
 */
export class SrtRelayNames {
  readonly #names = new Map<string, { passphrase: string; onTaken: () => void }>();

  /** A fresh name for a relay holding `passphrase`; `onTaken` runs when its publish arrives. */
  issue(passphrase: string, onTaken: () => void = () => {}): string {
    const name = randomBytes(32).toString('base64url');
    this.#names.set(name, { passphrase, onTaken });
    return name;
  }

  /** The passphrase behind `name`, once; undefined for any other name. */
  take(name: string): string | undefined {
    const entry = this.#names.get(name);
    if (!entry) return undefined;
    this.#names.delete(name);
    entry.onTaken();
    return entry.passphrase;
  }

  /** Forget a name its relay will not use any more. */
  revoke(name: string): void {
    this.#names.delete(name);
  }
}
