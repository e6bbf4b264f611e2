// Plain constants (no zod), so the edge's pages use them without bundling classic zod (ADR 0007).

/** Limits every origin enforces. Owncast's: 3 messages in 2 s, then a 10 s timeout. */
export const CHAT_LIMITS = {
  maxTextLength: 500,
  rateMessages: 3,
  rateWindowMs: 2000,
  rateTimeoutMs: 10_000,
  /** Messages sent in the `history` frame on join. */
  historySize: 50,
  /** Longest timeout and slow mode a moderator may set. */
  maxTimeoutSeconds: 7 * 86_400,
  maxSlowModeSeconds: 3600,
} as const;
