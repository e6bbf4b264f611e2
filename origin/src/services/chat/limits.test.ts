import { describe, expect, it } from 'vitest';
import { CHAT_LIMITS } from '../../../../protocol/chat.js';
import { decidePost, NO_POSTS, type PostHistory, refundPost } from './limits.js';

const post = (history: PostHistory, now: number, extra: Partial<Parameters<typeof decidePost>[1]> = {}) =>
  decidePost(history, { now, text: 'hi', slowModeSeconds: 0, exemptFromSlowMode: false, ...extra });

describe('decidePost', () => {
  it('allows 3 messages in 2 s, then answers rate_limited for 10 s', () => {
    let h = NO_POSTS;
    for (const t of [0, 100, 200]) {
      const r = post(h, t);
      expect(r.refusal).toBeUndefined();
      h = r.history;
    }
    const fourth = post(h, 300);
    expect(fourth.refusal).toEqual(expect.objectContaining({ code: 'rate_limited', retryAfterMs: 10_000 }));
    h = fourth.history;
    expect(post(h, 10_299).refusal).toEqual(
      expect.objectContaining({ code: 'rate_limited', retryAfterMs: 1 }),
    );
    expect(post(h, 10_300).refusal).toBeUndefined();
  });

  it('lets a steady sender through once the window slides', () => {
    let h = NO_POSTS;
    for (let t = 0; t < 20_000; t += 700) {
      const r = post(h, t);
      expect(r.refusal).toBeUndefined();
      h = r.history;
    }
  });

  it('refuses empty and too long texts without counting them', () => {
    expect(post(NO_POSTS, 0, { text: '   ' }).refusal?.code).toBe('empty');
    const long = post(NO_POSTS, 0, { text: 'x'.repeat(CHAT_LIMITS.maxTextLength + 1) });
    expect(long.refusal?.code).toBe('too_long');
    expect(long.history).toBe(NO_POSTS);
    expect(post(NO_POSTS, 0, { text: 'x'.repeat(CHAT_LIMITS.maxTextLength) }).refusal).toBeUndefined();
  });

  it('holds slow mode past the rate window, except for moderators', () => {
    const first = post(NO_POSTS, 0, { slowModeSeconds: 5 });
    expect(first.refusal).toBeUndefined();
    const early = post(first.history, 3000, { slowModeSeconds: 5 });
    expect(early.refusal).toEqual(expect.objectContaining({ code: 'slow_mode', retryAfterMs: 2000 }));
    expect(post(early.history, 4999, { slowModeSeconds: 5 }).refusal?.code).toBe('slow_mode');
    expect(post(early.history, 5000, { slowModeSeconds: 5 }).refusal).toBeUndefined();
    expect(post(first.history, 10, { slowModeSeconds: 5, exemptFromSlowMode: true }).refusal).toBeUndefined();
  });
});

describe('refundPost', () => {
  it('takes back only the failed post, even when another post changed the history meanwhile', () => {
    // Two posts in flight during an outage: both counted, then both fail, in either order.
    const a = post(NO_POSTS, 1000);
    const b = post(a.history, 1100);
    let h = refundPost(b.history, 1000, NO_POSTS.lastAt);
    h = refundPost(h, 1100, a.history.lastAt);
    expect(h.recent).toEqual([]);
    // Resending over and over while each try fails never earns a timeout.
    for (let t = 2000; t < 4000; t += 100) {
      const r = post(h, t);
      expect(r.refusal).toBeUndefined();
      h = refundPost(r.history, t, h.lastAt);
    }
    expect(post(h, 4000).refusal).toBeUndefined();
  });

  it('keeps the slow-mode clock at the last post that went out', () => {
    const sent = post(NO_POSTS, 1000).history;
    const failed = post(sent, 5000).history;
    expect(refundPost(failed, 5000, sent.lastAt).lastAt).toBe(1000);
  });
});
