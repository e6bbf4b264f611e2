import { describe, expect, it } from 'vitest';
import { srtPassphrase, srtSecretFromInternalToken } from './srt-passphrase.js';

const CHANNEL = '4f1c2a8e-9b7d-4c3e-8a2f-1d6b5e7c9a01';

describe('srtPassphrase', () => {
  it('is stable for a generation, differs per generation, channel and secret, and fits SRT (10-79)', () => {
    const first = srtPassphrase('secret-a-0123456789', CHANNEL, 1);
    expect(first).toBe(srtPassphrase('secret-a-0123456789', CHANNEL, 1));
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(srtPassphrase('secret-a-0123456789', CHANNEL, 2)).not.toBe(first);
    expect(srtPassphrase('secret-b-0123456789', CHANNEL, 1)).not.toBe(first);
    expect(srtPassphrase('secret-a-0123456789', CHANNEL.replace('01', '02'), 1)).not.toBe(first);
  });

  it('derives a default secret from the internal token that is not the token itself', () => {
    const secret = srtSecretFromInternalToken('internal-token-0123456789');
    expect(secret).toBe(srtSecretFromInternalToken('internal-token-0123456789'));
    expect(secret).not.toContain('internal-token');
    expect(srtSecretFromInternalToken('another-token-0123456789')).not.toBe(secret);
  });
});
