import { describe, expect, it } from 'vitest';
import { trickleCandidates } from './peer.js';

describe('trickle ICE fragments (RFC 8840)', () => {
  it('keeps the candidate lines, without a=, and ignores the rest', () => {
    const fragment = [
      'a=ice-ufrag:EsAw',
      'a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1',
      'm=audio 9 RTP/AVP 0',
      'a=mid:0',
      'a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0',
      'a=candidate:3471623853 1 udp 2122194687 198.51.100.2 61765 typ host generation 0',
      'a=end-of-candidates',
    ].join('\r\n');
    expect(trickleCandidates(fragment)).toEqual([
      'candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0',
      'candidate:3471623853 1 udp 2122194687 198.51.100.2 61765 typ host generation 0',
    ]);
    expect(trickleCandidates('')).toEqual([]);
  });
});
