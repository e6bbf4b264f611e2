import { describe, expect, it } from 'vitest';
import { SrtRelayNames } from './relay-names.js';

describe('SrtRelayNames', () => {
  it('issues unguessable RTMP-safe names, each good for one publish', () => {
    const names = new SrtRelayNames();
    let taken = 0;
    const name = names.issue('passphrase-one', () => taken++);
    expect(name).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(names.issue('passphrase-one')).not.toBe(name);
    expect(names.take(name)).toBe('passphrase-one');
    expect(taken).toBe(1);
    expect(names.take(name)).toBeUndefined();
    expect(taken).toBe(1);
  });

  it('knows no other name, and forgets a revoked one', () => {
    const names = new SrtRelayNames();
    const name = names.issue('passphrase-two');
    expect(names.take('some-stream-key')).toBeUndefined();
    names.revoke(name);
    expect(names.take(name)).toBeUndefined();
  });
});
