import { randomBytes } from 'node:crypto';
import type { LiveAuthorizeResult } from '../../../protocol/live.js';

/**
 * One-time RTMP names for WHIP relays. A WHIP publisher's key was authorized by the origin when
 * its offer came in (`protocol: 'whip'`); its FFmpeg relay then publishes to this node's RTMP
 * server as `/live/<name>`, and the RTMP server takes the session it stands for instead of
 * authorizing again. 256 random bits, consumed by the first publish (like `SrtRelayNames`).
 */
export class WhipRelayNames {
  readonly #names = new Map<string, { live: LiveAuthorizeResult; onTaken: () => void }>();

  /** A fresh name for a relay of `live`; `onTaken` runs when its publish arrives. */
  issue(live: LiveAuthorizeResult, onTaken: () => void = () => {}): string {
    const name = randomBytes(32).toString('base64url');
    this.#names.set(name, { live, onTaken });
    return name;
  }

  /** The authorized session behind `name`, once. */
  take(name: string): LiveAuthorizeResult | undefined {
    const entry = this.#names.get(name);
    if (!entry) return undefined;
    this.#names.delete(name);
    entry.onTaken();
    return entry.live;
  }

  /** Forget a name; true when it was never taken (so nobody reported its session yet). */
  revoke(name: string): boolean {
    return this.#names.delete(name);
  }
}
