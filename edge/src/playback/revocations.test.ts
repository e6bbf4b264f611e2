import { describe, expect, it } from 'vitest';
import { REVOCATION_DEFAULTS } from '../env.js';
import {
  applyRevocations,
  createRevocationList,
  isRevoked,
  isTrusted,
  needsSync,
  pruneRevocations,
} from './revocations.js';

const A = '11111111-2222-4333-8444-555555555555';
const B = '66666666-7777-4888-9999-000000000000';
const at = (ms: number) => new Date(ms).toISOString();
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const timing = { syncMs: 10_000, maxStaleMs: 20_000 };

describe('revocation list', () => {
  it('refuses tokens minted under an older epoch of their video only', () => {
    const list = createRevocationList();
    applyRevocations(list, [{ videoId: A, seq: 5, revokedAt: at(NOW), reason: 'video.privacy_changed' }]);
    expect(isRevoked(list, { videoId: A, revocation: 0 })).toBe(true);
    expect(isRevoked(list, { videoId: A, revocation: 4 })).toBe(true);
    // Minted after the revocation (the policy already said 5): plays.
    expect(isRevoked(list, { videoId: A, revocation: 5 })).toBe(false);
    expect(isRevoked(list, { videoId: B, revocation: 0 })).toBe(false);
  });

  it('keeps the newest epoch per video whatever order rows arrive in, and tracks the high-water mark', () => {
    const list = createRevocationList();
    applyRevocations(list, [
      { videoId: A, seq: 9, revokedAt: at(NOW), reason: 'video.updated' },
      { videoId: A, seq: 3, revokedAt: at(NOW - 1000), reason: 'video.updated' },
      { videoId: B, seq: 4, revokedAt: at(NOW), reason: 'user.suspended' },
    ]);
    expect(list.byVideo.get(A)?.seq).toBe(9);
    expect(list.after).toBe(9);
    expect(isRevoked(list, { videoId: A, revocation: 8 })).toBe(true);
  });

  it('asks to purge the cached files of deleted videos only', () => {
    const list = createRevocationList();
    const purge = applyRevocations(list, [
      { videoId: A, seq: 1, revokedAt: at(NOW), reason: 'video.deleted' },
      { videoId: B, seq: 2, revokedAt: at(NOW), reason: 'video.privacy_changed' },
    ]);
    expect(purge).toEqual([A]);
  });

  it('forgets revocations older than any live token (24 h plus a margin)', () => {
    const list = createRevocationList();
    applyRevocations(list, [
      { videoId: A, seq: 1, revokedAt: at(NOW - 25 * 3600_000), reason: 'video.deleted' },
      { videoId: B, seq: 2, revokedAt: at(NOW - 23 * 3600_000), reason: 'video.deleted' },
    ]);
    pruneRevocations(list, NOW);
    expect([...list.byVideo.keys()]).toEqual([B]);
    expect(list.after).toBe(2);
  });

  it('is due for a sync before the first one and once the interval passed', () => {
    const list = createRevocationList();
    expect(needsSync(list, NOW, timing)).toBe(true);
    list.syncedAt = NOW;
    expect(needsSync(list, NOW + 9_999, timing)).toBe(false);
    expect(needsSync(list, NOW + 10_000, timing)).toBe(true);
  });

  it('fails closed: a list never synced, or not refreshed within the bound, is not trusted', () => {
    const list = createRevocationList();
    expect(isTrusted(list, NOW, timing)).toBe(false);
    list.syncedAt = NOW;
    expect(isTrusted(list, NOW + 20_000, timing)).toBe(true);
    expect(isTrusted(list, NOW + 20_001, timing)).toBe(false);
  });

  it('by default takes effect within 30 s: the trust bound, with a margin for outbox delivery', () => {
    expect(REVOCATION_DEFAULTS.syncSeconds).toBeLessThanOrEqual(REVOCATION_DEFAULTS.maxStaleSeconds);
    expect(REVOCATION_DEFAULTS.maxStaleSeconds).toBeLessThanOrEqual(25);
  });
});
