import { describe, expect, it } from 'vitest';
import { WhipRelayNames } from './relay-names.js';

const live = {
  sessionId: '0b6f4b4e-5d2c-4a43-9e5e-0c9b0c1f6a11',
  channelId: '1b6f4b4e-5d2c-4a43-9e5e-0c9b0c1f6a11',
  videoId: '2b6f4b4e-5d2c-4a43-9e5e-0c9b0c1f6a11',
  resumed: false,
  streamName: '0b6f4b4e-5d2c-4a43-9e5e-0c9b0c1f6a11',
  publisher: 1,
};

describe('WHIP relay names', () => {
  it('stand for an authorized session once, and tell whether a revoked one was ever taken', () => {
    const names = new WhipRelayNames();
    let taken = 0;
    const name = names.issue(live, () => taken++);
    expect(name).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(names.take('other')).toBeUndefined();
    expect(names.take(name)).toEqual(live);
    expect(taken).toBe(1);
    expect(names.take(name)).toBeUndefined();
    expect(names.revoke(name)).toBe(false);
    const unused = names.issue(live);
    expect(names.revoke(unused)).toBe(true);
    expect(names.take(unused)).toBeUndefined();
  });
});
