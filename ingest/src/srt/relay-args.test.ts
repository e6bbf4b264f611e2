import { describe, expect, it } from 'vitest';
import { srtListenerUrl, srtRelayArgs } from './relay-args.js';

const input = {
  host: '127.0.0.1',
  port: 9001,
  passphrase: 'abc_DEF-0123456789',
  latencyMs: 120,
  publishUrl: 'rtmp://127.0.0.1:1935/live/relayname',
};

describe('srtRelayArgs', () => {
  it('listens with the passphrase enforced, copies and publishes FLV to the relay name', () => {
    expect(srtRelayArgs(input)).toEqual([
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'warning',
      '-f',
      'mpegts',
      '-i',
      'srt://127.0.0.1:9001?mode=listener&passphrase=abc_DEF-0123456789&enforced_encryption=1&latency=120000',
      '-map',
      '0:v:0',
      '-map',
      '0:a:0?',
      '-c',
      'copy',
      '-f',
      'flv',
      'rtmp://127.0.0.1:1935/live/relayname',
    ]);
  });

  it('brackets IPv6 hosts', () => {
    expect(srtListenerUrl({ ...input, host: '::1' })).toMatch(/^srt:\/\/\[::1\]:9001\?/);
  });
});
