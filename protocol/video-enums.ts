// No zod here: the edge bundles these lists (through the zod/mini internal contracts), and classic
// zod would add ~450 KB to the worker. `video.ts` builds the classic schemas from them.

/** Who may see a video. See `decideVideoAccess` in `access.ts` for the rules. */
export const PRIVACY_LEVELS = ['public', 'unlisted', 'private', 'internal', 'password'] as const;

/**
 * Video lifecycle. `deleted` is reachable from every state; `failed` may be retried by queueing
 * again; a `ready` video goes back to `queued` when it is re-transcoded. A live video is created
 * straight into `live`, becomes `ended` when its stream ends, and its recording queues it again.
 */
export const VIDEO_STATES = [
  'created',
  'uploading',
  'queued',
  'transcoding',
  'ready',
  'failed',
  'deleted',
  'live',
  'ended',
] as const;
