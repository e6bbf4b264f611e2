// No zod here: the database schema and the edge bundle these lists.

/** A video's comment policy: open, closed, or held for the owner's approval. */
export const COMMENTS_POLICIES = ['enabled', 'disabled', 'approval'] as const;
export type CommentsPolicy = (typeof COMMENTS_POLICIES)[number];

/** PeerTube's numbers and labels for the same policies (`commentsPolicy: { id, label }`). */
export const COMMENTS_POLICY_IDS: Record<CommentsPolicy, { id: 1 | 2 | 3; label: string }> = {
  enabled: { id: 1, label: 'Enabled' },
  disabled: { id: 2, label: 'Disabled' },
  approval: { id: 3, label: 'Requires approval' },
};

/** PeerTube's abuse states: 1 pending, 2 rejected, 3 accepted. */
export const ABUSE_STATES = { pending: 1, rejected: 2, accepted: 3 } as const;
export type AbuseStateId = (typeof ABUSE_STATES)[keyof typeof ABUSE_STATES];
export const ABUSE_STATE_LABELS: Record<AbuseStateId, string> = {
  1: 'Pending',
  2: 'Rejected',
  3: 'Accepted',
};

/** PeerTube's predefined abuse reasons. */
export const ABUSE_PREDEFINED_REASONS = [
  'violentOrRepulsive',
  'hatefulOrAbusive',
  'spamOrMisleading',
  'privacy',
  'rights',
  'serverRules',
  'thumbnails',
  'captions',
] as const;
