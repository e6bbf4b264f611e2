import type { LiveAuthorizeResult } from '../../../protocol/live.js';
import { OneTimeRelayNames } from '../relay-names.js';

/**
 * One-time RTMP names for WHIP relays: each stands for the session the origin authorized when the
 * offer came in (`protocol: 'whip'`), which the RTMP server takes instead of authorizing again.
 */
export class WhipRelayNames extends OneTimeRelayNames<LiveAuthorizeResult> {}
