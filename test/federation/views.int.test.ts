import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationDeliveries, federationFollowers, videos } from '../../db/schema/index.js';
import { channelKey } from '../../origin/src/services/federation/actors.js';
import { VIEW_UPDATE_WINDOW_MS, viewUpdateSlot } from '../../origin/src/services/federation/view-updates.js';
import { startFederatedOrigin } from './support.js';

/**
 * Views reach followers aggregated (issue 14): however many viewers and flushes, one pending
 * `Update(Video)` per video and inbox per 5-minute window, carrying the latest count, due when the
 * window ends. PeerTube's one View activity per viewer is what piled its queues up (#7571).
 */
describe('view counts federate as at most one Update per video per 5 minutes', () => {
  let origin: Awaited<ReturnType<typeof startFederatedOrigin>>;
  let videoId = '';

  beforeAll(async () => {
    origin = await startFederatedOrigin();
    const owner = await origin.signUp('views');
    const channel = await origin.call('POST', '/api/v1/channels', {
      token: owner.token,
      body: { handle: `views_${randomUUID().slice(0, 6)}`, displayName: 'Views' },
    });
    const [video] = await origin.database.db
      .insert(videos)
      .values({ channelId: channel.body.id, title: 'Counted', state: 'ready', durationSeconds: 3 })
      .returning();
    videoId = video?.id as string;
    // An unreachable follower: deliveries stay pending, which is what is looked at.
    await origin.database.db.insert(federationFollowers).values({
      localActor: channelKey(channel.body.id),
      followerId: 'http://127.0.0.1:9/users/watcher',
      inbox: 'http://127.0.0.1:9/users/watcher/inbox',
    });
  }, 60_000);

  afterAll(async () => {
    await origin?.stop();
  });

  it('names windows of 5 minutes, each sent when it ends', () => {
    const start = 1_800_000_000_000 - (1_800_000_000_000 % VIEW_UPDATE_WINDOW_MS);
    expect(viewUpdateSlot(start)).toEqual(viewUpdateSlot(start + VIEW_UPDATE_WINDOW_MS - 1));
    expect(viewUpdateSlot(start).sendAt).toEqual(new Date(start + VIEW_UPDATE_WINDOW_MS));
    expect(viewUpdateSlot(start + VIEW_UPDATE_WINDOW_MS).slot).toBe(viewUpdateSlot(start).slot + 1);
  });

  it('queues one Update for many viewers over several flushes, with the latest count', async () => {
    const views = origin.services.views;
    for (const viewer of ['a', 'b', 'c']) await views.record({ videoId, viewerKey: viewer });
    await views.flush();
    await views.record({ videoId, viewerKey: 'd' });
    await views.flush();
    const rows = await origin.database.db.select().from(federationDeliveries);
    const updates = rows.filter((r) => r.activityId.includes('/activities/update/views-'));
    expect(updates).toHaveLength(1);
    const update = updates[0] as (typeof updates)[number];
    expect((update.activity as { object: { views: number } }).object.views).toBe(4);
    expect(update?.state).toBe('pending');
    const { slot, sendAt } = viewUpdateSlot(Date.now());
    expect(update?.activityId).toMatch(new RegExp(`views-(${slot}|${slot - 1})$`));
    expect(update?.nextAttemptAt.getTime()).toBeLessThanOrEqual(sendAt.getTime());
    expect(update?.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() - VIEW_UPDATE_WINDOW_MS);
  });
});
