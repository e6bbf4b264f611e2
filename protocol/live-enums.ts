// No zod here: the edge bundles these lists (through the zod/mini twins in `api/live-mini.ts`), and
// classic zod would add ~450 KB to the worker. `live.ts` builds the classic schemas from them.

/** Which rungs a live stream gets: the source as sent, or the source plus transcoded rungs. */
export const LIVE_LADDERS = ['source', 'source+720p', 'source+720p+360p'] as const;

/** States of a channel's live endpoint as the API shows them. */
export const LIVE_STATES = ['idle', 'live'] as const;
