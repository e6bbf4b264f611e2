import { describe, expect, it } from 'vitest';
import { playNameFromRequest, rtmpPullBaseUrl, streamKeyFromPublish } from './stream-path.js';

describe('streamKeyFromPublish', () => {
  it('takes the last segment of /live/<key>', () => {
    expect(streamKeyFromPublish('live', 'sk_abc-123')).toBe('sk_abc-123');
  });
  it('drops a query string', () => {
    expect(streamKeyFromPublish('live', 'sk_abc?bandwidth=3000')).toBe('sk_abc');
  });
  it('accepts extra segments in the app or the name, keeping the last one', () => {
    expect(streamKeyFromPublish('live/obs', 'key1')).toBe('key1');
    expect(streamKeyFromPublish('live', 'extra/key2')).toBe('key2');
  });
  it('refuses other applications, empty keys and odd characters', () => {
    expect(streamKeyFromPublish('app', 'key')).toBeUndefined();
    expect(streamKeyFromPublish('live', '')).toBeUndefined();
    expect(streamKeyFromPublish('live', '?a=b')).toBeUndefined();
    expect(streamKeyFromPublish('live', 'k e y')).toBeUndefined();
    expect(streamKeyFromPublish('live', '../etc')).toBeUndefined();
    expect(streamKeyFromPublish('live', 'k'.repeat(201))).toBeUndefined();
    expect(streamKeyFromPublish('live', 'k'.repeat(200))).toBe('k'.repeat(200));
  });
});

describe('playNameFromRequest', () => {
  it('accepts a safe name under live/ only', () => {
    expect(playNameFromRequest('live', 'str_1?x=1')).toBe('str_1');
    expect(playNameFromRequest('other', 'str_1')).toBeUndefined();
    expect(playNameFromRequest('live', 'a/b')).toBeUndefined();
    expect(playNameFromRequest('live', '')).toBeUndefined();
  });
});

describe('rtmpPullBaseUrl', () => {
  it('builds rtmp://host:port/live, bracketing IPv6', () => {
    expect(rtmpPullBaseUrl('ingest-1.internal', 1935)).toBe('rtmp://ingest-1.internal:1935/live');
    expect(rtmpPullBaseUrl('::1', 1936)).toBe('rtmp://[::1]:1936/live');
  });
});
