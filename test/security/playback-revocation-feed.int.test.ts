import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../origin/src/lib/logger.js';
import { createOutboxDispatcher } from '../../origin/src/services/outbox/dispatcher.js';
import {
  defaultSubscribers,
  edgeCachePurgeSubscriber,
} from '../../origin/src/services/outbox/subscribers.js';
import { createTestApp, DRIVERS, TEST_CONFIG, type TestApp } from '../../origin/test/harness.js';
import { expectErrorShape, videoOf } from './helpers.js';

// Defends (issue 9, items 1 and 2): a delete, a privacy change or a password change did not reach
// the edge, so tokens already issued kept playing. The origin now turns those events into
// per-video revocation epochs and serves them to the edge as a feed; the policy carries the epoch.

for (const driver of DRIVERS) {
  describe(`playback revocation feed on ${driver}`, () => {
    let t: TestApp;
    let owner: Awaited<ReturnType<TestApp['signUp']>>;
    const internal = { authorization: `Bearer ${TEST_CONFIG.internalApiToken}` };
    const logger = createLogger('silent');
    const settle = () =>
      createOutboxDispatcher({
        db: t.database.db,
        logger,
        subscribers: defaultSubscribers(t.database.db, logger),
      }).drain();
    const feed = async (after = 0) => {
      const res = await t.app.request(`/internal/v1/revocations?after=${after}`, { headers: internal });
      expect(res.status).toBe(200);
      return (await res.json()) as {
        revocations: Array<{ videoId: string; seq: number; reason: string }>;
        more: boolean;
      };
    };
    const policy = async (id: string) =>
      (await (await t.app.request(`/internal/v1/videos/${id}/access`, { headers: internal })).json()) as {
        revocation: number;
        ownerSuspended: boolean;
      };
    const of = async (id: string) => (await feed()).revocations.filter((r) => r.videoId === id);

    beforeAll(async () => {
      t = await createTestApp(driver);
      owner = await t.signUp('owner');
    });
    afterAll(() => t.close());

    it('is for the edge only', async () => {
      const res = await t.call('GET', '/internal/v1/revocations', { token: owner.token });
      expect(res.status).toBe(401);
      expectErrorShape(res.body, 'unauthorized');
    });

    it('revokes on a move to internal, password or private, never on a move to public or unlisted', async () => {
      const id = await videoOf(t, owner, { privacy: 'public' });
      for (const privacy of ['unlisted', 'public'] as const) {
        await t.call('PATCH', `/api/v1/videos/${id}`, { token: owner.token, body: { privacy } });
      }
      await settle();
      expect(await of(id)).toEqual([]);
      expect((await policy(id)).revocation).toBe(0);
      const reasons: number[] = [];
      for (const body of [
        { privacy: 'internal' },
        { privacy: 'password', password: 'first one' },
        { privacy: 'private' },
      ]) {
        await t.call('PATCH', `/api/v1/videos/${id}`, { token: owner.token, body });
        await settle();
        reasons.push((await of(id)).length);
      }
      expect(reasons).toEqual([1, 2, 3]);
      const rows = await of(id);
      expect(rows.map((r) => r.reason)).toEqual([
        'video.privacy_changed',
        'video.privacy_changed',
        'video.privacy_changed',
      ]);
      // The policy names the newest epoch, which the edge writes into tokens minted from now on.
      expect((await policy(id)).revocation).toBe(rows.at(-1)?.seq);
    });

    it('revokes on a password change and on a delete, and pages in seq order', async () => {
      const id = await videoOf(t, owner, { privacy: 'password', password: 'old password' });
      await t.call('PATCH', `/api/v1/videos/${id}`, { token: owner.token, body: { title: 'Renamed' } });
      await settle();
      expect(await of(id)).toEqual([]);
      await t.call('PATCH', `/api/v1/videos/${id}`, {
        token: owner.token,
        body: { password: 'new password' },
      });
      expect((await t.call('DELETE', `/api/v1/videos/${id}`, { token: owner.token })).status).toBe(204);
      await settle();
      // Deliveries of one batch run concurrently: order across events is best effort.
      expect((await of(id)).map((r) => r.reason).sort()).toEqual(['video.deleted', 'video.updated']);
      const all = (await feed()).revocations;
      const seqs = all.map((r) => r.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      const last = seqs.at(-1) as number;
      expect((await feed(last)).revocations).toEqual([]);
      const firstPage = await t.app.request('/internal/v1/revocations?after=0&limit=1', {
        headers: internal,
      });
      expect(await firstPage.json()).toMatchObject({ more: true, revocations: [{ seq: seqs[0] }] });
    });

    it('writes one epoch per event however often the event is delivered (idempotency key)', async () => {
      const id = await videoOf(t, owner, { privacy: 'public' });
      const subscriber = edgeCachePurgeSubscriber(t.database.db, logger);
      const event = {
        id: crypto.randomUUID(),
        occurredAt: new Date().toISOString(),
        type: 'video.deleted' as const,
        payload: { videoId: id, channelId: crypto.randomUUID() },
      };
      const meta = { idempotencyKey: `${event.id}:edge-cache-purge`, attempt: 1 };
      await subscriber.deliver(event, meta);
      await subscriber.deliver(event, { ...meta, attempt: 2 });
      expect(await of(id)).toHaveLength(1);
    });
  });
}
