import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { RevocationFeed } from '../../../protocol/api/internal.js';
import { RevocationWatch } from './revocation-watch.js';

const row = (seq: number, videoId: string) => ({
  seq,
  videoId,
  revokedAt: new Date(0).toISOString(),
  reason: 'video.privacy_changed',
});

describe('RevocationWatch', () => {
  it('skips what was revoked before it started, then reports each new revocation once, across pages', async () => {
    const rows = [row(1, 'old-a'), row(2, 'old-b')];
    const asked: number[] = [];
    const feed = async (after: number): Promise<RevocationFeed> => {
      asked.push(after);
      const page = rows.filter((r) => r.seq > after).slice(0, 2);
      return { revocations: page, more: rows.filter((r) => r.seq > after).length > 2 };
    };
    const seen: string[][] = [];
    const watch = new RevocationWatch({
      feed,
      intervalMs: 1000,
      onRevoked: (ids) => seen.push([...ids].sort()),
      logger: pino({ level: 'silent' }),
    });
    await watch.poll();
    expect(seen).toEqual([]);
    rows.push(row(3, 'v1'), row(4, 'v2'), row(5, 'v1'));
    await watch.poll();
    expect(seen).toEqual([['v1', 'v2']]);
    await watch.poll();
    expect(seen).toHaveLength(1);
    expect(asked).toEqual([0, 2, 4, 5]);
  });
});
