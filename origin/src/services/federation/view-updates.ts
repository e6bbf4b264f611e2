import type { Database } from '../../../../db/client.js';
import { queueToFollowers } from './deliver.js';
import { videoActivity, videoObjectOf } from './video-activities.js';

/** At most one views `Update(Video)` per video per this long (PeerTube piles up one per viewer). */
export const VIEW_UPDATE_WINDOW_MS = 5 * 60_000;

/** The window `now` falls in, and when it ends (when its one Update goes out). Pure. */
export function viewUpdateSlot(now: number, windowMs = VIEW_UPDATE_WINDOW_MS) {
  const slot = Math.floor(now / windowMs);
  return { slot, sendAt: new Date((slot + 1) * windowMs) };
}

/**
 * Views reach followers aggregated: each flush of the view counter (re)writes one pending
 * `Update(Video)` per video and inbox for the current 5-minute window, sent when the window ends
 * with the count as it is by then. The activity id names the window, so a window never sends two.
 */
export async function queueViewUpdates(
  db: Database,
  publicUrl: string,
  videoIds: string[],
  now = Date.now(),
) {
  const { slot, sendAt } = viewUpdateSlot(now);
  for (const videoId of videoIds) {
    const loaded = await videoObjectOf(db, publicUrl, videoId);
    if (!loaded?.object || loaded.deleted) continue;
    const activity = videoActivity('Update', loaded, `views-${slot}`);
    await queueToFollowers(db, loaded.sender, activity, { notBefore: sendAt, refreshPending: true });
  }
}
