import { CHAT_LIMITS, type ChatErrorCode } from '../../../../protocol/chat.js';

/** One user's recent posts on this origin: what the rate limit and slow mode look at. */
export interface PostHistory {
  /** Times of the posts inside the rate window, oldest first. */
  recent: number[];
  /** Set when the user went over the rate: no post until then. */
  blockedUntil: number;
  /** Time of the last post that went out (slow mode), -Infinity for none. */
  lastAt: number;
}

export const NO_POSTS: PostHistory = { recent: [], blockedUntil: 0, lastAt: Number.NEGATIVE_INFINITY };

export interface PostRefusal {
  code: Extract<ChatErrorCode, 'rate_limited' | 'slow_mode' | 'too_long' | 'empty'>;
  message: string;
  retryAfterMs?: number;
}

/**
 * Whether a post may go out now, and the history after it. Owncast's rule: 3 messages in 2 s,
 * the 4th earns a 10 s timeout; slow mode allows one message per `slowModeSeconds`. Pure, so every
 * edge of it is unit-tested; the caller keeps one `PostHistory` per user.
 */
export function decidePost(
  history: PostHistory,
  input: { now: number; text: string; slowModeSeconds: number; exemptFromSlowMode: boolean },
): { refusal: PostRefusal | undefined; history: PostHistory } {
  const text = input.text.trim();
  if (text.length === 0) return { refusal: { code: 'empty', message: 'Write something first' }, history };
  if (text.length > CHAT_LIMITS.maxTextLength) {
    return {
      refusal: { code: 'too_long', message: `Messages are at most ${CHAT_LIMITS.maxTextLength} characters` },
      history,
    };
  }
  const { now } = input;
  if (history.blockedUntil > now) {
    return {
      refusal: {
        code: 'rate_limited',
        message: 'Too many messages: wait a moment',
        retryAfterMs: history.blockedUntil - now,
      },
      history,
    };
  }
  const recent = history.recent.filter((t) => now - t < CHAT_LIMITS.rateWindowMs);
  const last = history.lastAt;
  const slowMs = input.slowModeSeconds * 1000;
  if (slowMs > 0 && !input.exemptFromSlowMode && now - last < slowMs) {
    return {
      refusal: {
        code: 'slow_mode',
        message: `Slow mode: one message every ${input.slowModeSeconds} s`,
        retryAfterMs: slowMs - (now - last),
      },
      history: { ...history, recent },
    };
  }
  if (recent.length >= CHAT_LIMITS.rateMessages) {
    const blockedUntil = now + CHAT_LIMITS.rateTimeoutMs;
    return {
      refusal: {
        code: 'rate_limited',
        message: `Too many messages: wait ${CHAT_LIMITS.rateTimeoutMs / 1000} s`,
        retryAfterMs: CHAT_LIMITS.rateTimeoutMs,
      },
      history: { recent: [], blockedUntil, lastAt: history.lastAt },
    };
  }
  return { refusal: undefined, history: { recent: [...recent, now], blockedUntil: 0, lastAt: now } };
}

/**
 * Takes back the post made at `at`, which did not go out (Redis or PostgreSQL away): the sender will
 * resend it, and the failed try must not count against their rate. Works on the history as it is now,
 * not a snapshot from before the post, so concurrent posts that did go out (or failed too) stay right.
 */
export function refundPost(current: PostHistory, at: number, lastAtBefore: number): PostHistory {
  const index = current.recent.indexOf(at);
  const recent = index < 0 ? current.recent : current.recent.filter((_, i) => i !== index);
  return { ...current, recent, lastAt: current.lastAt === at ? lastAtBefore : current.lastAt };
}
