import { OneTimeRelayNames } from '../relay-names.js';

/**
 * One-time RTMP names for SRT relays: each stands for the passphrase the SRT handshake already
 * checked, so the RTMP server authorizes it as `{ protocol: 'srt', streamKey: <passphrase> }`.
 */
export class SrtRelayNames extends OneTimeRelayNames<string> {}
