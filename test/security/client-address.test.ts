import { describe, expect, it } from 'vitest';
import {
  decideClientAddress,
  isIpAddress,
  isOperatorRequest,
  normalizeAddress,
} from '../../origin/src/auth/client-address.js';

// Defends: the origin believed any caller's X-Forwarded-For under TRUST_PROXY=true (issue 9, 3).
const TOKEN = 'edge-token-0123456789abcdef';
const policy = { edgeToken: TOKEN, trustedProxies: new Set(['10.0.0.2', '10.0.0.3']) };
const decide = (socketAddress: string | undefined, forwardedFor?: string, edgeToken?: string) =>
  decideClientAddress({ socketAddress, forwardedFor, edgeToken }, policy);

describe('decideClientAddress', () => {
  it('ignores a direct caller’s forged X-Forwarded-For: the socket address wins', () => {
    expect(decide('203.0.113.7', '1.2.3.4')).toBe('203.0.113.7');
    expect(decide('203.0.113.7', '1.2.3.4, 10.0.0.2')).toBe('203.0.113.7');
    expect(decide('::ffff:203.0.113.7', '1.2.3.4')).toBe('203.0.113.7');
  });

  it('ignores X-Forwarded-For with a wrong, empty or truncated edge token', () => {
    expect(decide('203.0.113.7', '1.2.3.4', 'wrong')).toBe('203.0.113.7');
    expect(decide('203.0.113.7', '1.2.3.4', '')).toBe('203.0.113.7');
    expect(decide('203.0.113.7', '1.2.3.4', TOKEN.slice(0, -1))).toBe('203.0.113.7');
    expect(decide('203.0.113.7', '1.2.3.4', `${TOKEN}x`)).toBe('203.0.113.7');
  });

  it('believes the first hop when the edge vouches with its token, through proxies that append', () => {
    expect(decide('198.51.100.9', '1.2.3.4', TOKEN)).toBe('1.2.3.4');
    expect(decide('10.0.0.2', '1.2.3.4, 172.18.0.5', TOKEN)).toBe('1.2.3.4');
    expect(decide(undefined, '2001:db8::1', TOKEN)).toBe('2001:db8::1');
  });

  it('falls back to the socket when the edge sends no or a garbled address', () => {
    expect(decide('198.51.100.9', undefined, TOKEN)).toBe('198.51.100.9');
    expect(decide('198.51.100.9', 'not-an-ip', TOKEN)).toBe('198.51.100.9');
    expect(decide(undefined, undefined, TOKEN)).toBe('unknown');
  });

  it('reads a configured proxy’s X-Forwarded-For from the right, skipping trusted proxies', () => {
    expect(decide('10.0.0.2', '1.2.3.4')).toBe('1.2.3.4');
    // The client prepended a forged hop; the proxy appended the real one.
    expect(decide('10.0.0.2', '6.6.6.6, 1.2.3.4')).toBe('1.2.3.4');
    expect(decide('10.0.0.2', '6.6.6.6, 1.2.3.4, 10.0.0.3')).toBe('1.2.3.4');
    expect(decide('::ffff:10.0.0.2', '1.2.3.4')).toBe('1.2.3.4');
    expect(decide('10.0.0.2', '10.0.0.3')).toBe('10.0.0.3');
    expect(decide('10.0.0.2', undefined)).toBe('10.0.0.2');
    expect(decide('10.0.0.2', '1.2.3.4, garbage')).toBe('10.0.0.2');
  });

  it('answers unknown for an in-process request with no socket and no edge token', () => {
    expect(decide(undefined, '1.2.3.4')).toBe('unknown');
  });
});

describe('address helpers', () => {
  it.each(['1.2.3.4', '255.255.255.255', '::1', '2001:db8::1', '::ffff:1.2.3.4'])('%s is an IP', (v) =>
    expect(isIpAddress(v)).toBe(true),
  );
  it.each(['', 'unknown', '1.2.3', '256.1.1.1', '1.2.3.4:80', 'example.com', '[::1]', '1.2.3.4 x'])(
    '%j is not an IP',
    (v) => expect(isIpAddress(v)).toBe(false),
  );
  it('normalises IPv4-mapped and upper-case addresses', () => {
    expect(normalizeAddress(' ::FFFF:10.0.0.1 ')).toBe('10.0.0.1');
    expect(normalizeAddress('2001:DB8::1')).toBe('2001:db8::1');
  });
});

describe('isOperatorRequest', () => {
  const operator = { ...policy, internalAddresses: new Set(['10.9.9.9', '127.0.0.1']) };
  const ask = (r: { socketAddress?: string; authorization?: string; edgeToken?: string }) =>
    isOperatorRequest(
      {
        socketAddress: r.socketAddress,
        forwardedFor: undefined,
        edgeToken: r.edgeToken,
        authorization: r.authorization,
      },
      operator,
    );
  it('lets in the internal token as a bearer token, from anywhere', () => {
    expect(ask({ socketAddress: '203.0.113.7', authorization: `Bearer ${TOKEN}` })).toBe(true);
    expect(ask({ authorization: `Bearer ${TOKEN}` })).toBe(true);
  });
  it('lets in a configured internal address, unless the request came through the edge', () => {
    expect(ask({ socketAddress: '10.9.9.9' })).toBe(true);
    expect(ask({ socketAddress: '::ffff:127.0.0.1' })).toBe(true);
    expect(ask({ socketAddress: '127.0.0.1', edgeToken: TOKEN })).toBe(false);
  });
  it('refuses everyone else, including the edge token alone and near-miss tokens', () => {
    expect(ask({ socketAddress: '203.0.113.7' })).toBe(false);
    expect(ask({ socketAddress: '203.0.113.7', edgeToken: TOKEN })).toBe(false);
    expect(ask({ socketAddress: '203.0.113.7', authorization: `Bearer ${TOKEN}x` })).toBe(false);
    expect(ask({ socketAddress: '203.0.113.7', authorization: TOKEN })).toBe(false);
    expect(ask({})).toBe(false);
  });
});
