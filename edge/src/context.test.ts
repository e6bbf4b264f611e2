import { describe, expect, it } from 'vitest';
import { decideClientIp } from './context.js';
import { type ClientIpSource, loadConfig, parseClientIpSource } from './env.js';

// Defends: the edge believed a client-sent CF-Connecting-IP (issue 9, 3).
const FORGED = {
  'cf-connecting-ip': '6.6.6.6',
  'x-forwarded-for': '7.7.7.7',
  'x-real-ip': '8.8.8.8',
  forwarded: 'for=9.9.9.9',
  'true-client-ip': '10.10.10.10',
};
const decide = (source: ClientIpSource, headers: Record<string, string>) =>
  decideClientIp(new Headers(headers), source);

describe('decideClientIp', () => {
  it('believes nothing a client sends under `none`, the default', () => {
    expect(decide({ kind: 'none' }, FORGED)).toBe('');
    expect(parseClientIpSource(undefined)).toEqual({ kind: 'none' });
    const config = loadConfig({ ORIGINS: 'https://o.example.com' });
    expect(config.ok && config.config.clientIpSource).toEqual({ kind: 'none' });
  });

  it('reads CF-Connecting-IP only when configured, and nothing else', () => {
    const cf = { kind: 'cf-connecting-ip' } as const;
    expect(decide(cf, FORGED)).toBe('6.6.6.6');
    expect(decide(cf, { 'x-forwarded-for': '7.7.7.7', 'x-real-ip': '8.8.8.8' })).toBe('');
    expect(decide(cf, { 'cf-connecting-ip': '2001:DB8::1' })).toBe('2001:db8::1');
    expect(decide(cf, { 'cf-connecting-ip': '::ffff:203.0.113.9' })).toBe('203.0.113.9');
  });

  it("reads the operator's proxy header only, the last entry when the proxy appends", () => {
    const realIp = { kind: 'header', name: 'x-real-ip' } as const;
    expect(decide(realIp, FORGED)).toBe('8.8.8.8');
    expect(decide(realIp, { 'cf-connecting-ip': '6.6.6.6' })).toBe('');
    const xff = { kind: 'header', name: 'x-forwarded-for' } as const;
    expect(decide(xff, { 'x-forwarded-for': '6.6.6.6, 203.0.113.5' })).toBe('203.0.113.5');
    expect(decide(xff, { 'x-forwarded-for': '203.0.113.5' })).toBe('203.0.113.5');
  });

  it.each(['', 'unknown', 'not-an-ip', '1.2.3.4:80', '[::1]', '256.1.1.1', '1.2.3.4 x', '6.6.6.6, garbage'])(
    'refuses %j as an address rather than keying on it',
    (value) => {
      expect(decide({ kind: 'cf-connecting-ip' }, { 'cf-connecting-ip': value })).toBe('');
      expect(decide({ kind: 'header', name: 'x-real-ip' }, { 'x-real-ip': value })).toBe('');
    },
  );
});

describe('parseClientIpSource', () => {
  it.each([
    ['none', { kind: 'none' }],
    [' NONE ', { kind: 'none' }],
    ['cf-connecting-ip', { kind: 'cf-connecting-ip' }],
    ['header:x-real-ip', { kind: 'header', name: 'x-real-ip' }],
    ['header:X-Forwarded-For', { kind: 'header', name: 'x-forwarded-for' }],
  ])('%j -> %j', (raw, source) => expect(parseClientIpSource(raw)).toEqual(source));

  it.each(['', 'header:', 'header:x real ip', 'x-real-ip', 'socket', 'header:a,b'])('refuses %j', (raw) => {
    expect(parseClientIpSource(raw)).toBeUndefined();
    const config = loadConfig({ ORIGINS: 'https://o.example.com', CLIENT_IP_SOURCE: raw });
    expect(config.ok).toBe(false);
    if (!config.ok) expect(config.problems.join()).toContain('CLIENT_IP_SOURCE');
  });
});
