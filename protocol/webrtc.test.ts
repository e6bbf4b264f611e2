import { describe, expect, it } from 'vitest';
import { looksLikeSdp, MAX_SDP_BYTES, parseIceServers, whepInternalPath, whipSessionPath } from './webrtc.js';

describe('protocol/webrtc', () => {
  it('parses WEBRTC_ICE_SERVERS: STUN and TURN with credentials', () => {
    expect(parseIceServers(undefined)).toEqual([]);
    expect(parseIceServers('  ')).toEqual([]);
    expect(
      parseIceServers(
        '[{"urls":"stun:stun.example.com:3478"},{"urls":"turn:127.0.0.1:3478","username":"u","credential":"p"}]',
      ),
    ).toEqual([
      { urls: 'stun:stun.example.com:3478' },
      { urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'p' },
    ]);
  });

  it('refuses ICE servers that are not stun:/turn:/turns: URLs, with the index', () => {
    expect(() => parseIceServers('not json')).toThrow(/JSON array/);
    expect(() => parseIceServers('{"urls":"stun:x"}')).toThrow(/JSON array/);
    expect(() => parseIceServers('[{"urls":"http://x"}]')).toThrow(/WEBRTC_ICE_SERVERS\[0\]\.urls/);
    expect(() => parseIceServers('[{"urls":"turn:x","username":1}]')).toThrow(/must be strings/);
  });

  it('tells an SDP offer from anything else, and bounds its size', () => {
    expect(looksLikeSdp('v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n')).toBe(true);
    expect(looksLikeSdp('')).toBe(false);
    expect(looksLikeSdp('{"sdp":"v=0"}')).toBe(false);
    expect(looksLikeSdp(`v=0\n${'a'.repeat(MAX_SDP_BYTES)}`)).toBe(false);
  });

  it('spells the session and internal paths', () => {
    expect(whipSessionPath('abc')).toBe('/whip/sessions/abc');
    expect(whepInternalPath('0b6f4b4e-5d2c-4a43-9e5e-0c9b0c1f6a11')).toBe(
      '/internal/v1/whep/0b6f4b4e-5d2c-4a43-9e5e-0c9b0c1f6a11',
    );
  });
});
