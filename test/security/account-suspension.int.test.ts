import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../db/schema/index.js';
import { createLogger } from '../../origin/src/lib/logger.js';
import { createOutboxDispatcher } from '../../origin/src/services/outbox/dispatcher.js';
import { defaultSubscribers } from '../../origin/src/services/outbox/subscribers.js';
import { createTestApp, DRIVERS, TEST_CONFIG, type TestApp } from '../../origin/test/harness.js';
import { expectErrorShape, videoOf } from './helpers.js';

// Defends (issue 9, item 2): an admin could not suspend an account. A suspended account's
// sessions and refresh tokens end, it cannot sign in, refresh or write, and its videos stop playing.

for (const driver of DRIVERS) {
  describe(`account suspension on ${driver}`, () => {
    let t: TestApp;
    let admin: Awaited<ReturnType<TestApp['signUpAdmin']>>;
    const internal = { authorization: `Bearer ${TEST_CONFIG.internalApiToken}` };
    const logger = createLogger('silent');
    const settle = () =>
      createOutboxDispatcher({
        db: t.database.db,
        logger,
        subscribers: defaultSubscribers(t.database.db, logger),
      }).drain();
    const suspend = (id: string, token = admin.token, action = 'suspend') =>
      t.call('POST', `/api/v1/admin/users/${id}/${action}`, { token });

    beforeAll(async () => {
      t = await createTestApp(driver);
      admin = await t.signUpAdmin();
    });
    afterAll(() => t.close());

    it('is for admins only', async () => {
      const user = await t.signUp('user');
      const other = await t.signUp('other');
      expect((await t.call('POST', `/api/v1/admin/users/${other.userId}/suspend`)).status).toBe(401);
      for (const action of ['suspend', 'unsuspend']) {
        const res = await suspend(other.userId, user.token, action);
        expect(res.status).toBe(403);
        expectErrorShape(res.body, 'forbidden');
      }
      expect((await suspend(crypto.randomUUID())).status).toBe(404);
      expect((await suspend(admin.userId)).status).toBe(409);
      // Nothing happened to the target.
      expect((await t.call('GET', '/api/v1/users/me', { token: other.token })).status).toBe(200);
    });

    it('ends every session, refuses sign-in, refresh and writes, and revokes playback of every video', async () => {
      const user = await t.signUp('suspect');
      const second = await t.call('POST', '/api/v1/auth/login', {
        body: { email: user.email, password: user.password },
      });
      const videos = [
        await videoOf(t, user, { privacy: 'public' }),
        await videoOf(t, user, { privacy: 'unlisted' }),
      ];

      const res = await suspend(user.userId);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ userId: user.userId, suspendedAt: expect.any(String) });
      // Twice is the same, and records one event.
      expect((await suspend(user.userId)).body.suspendedAt).toBe(res.body.suspendedAt);
      const events = await t.database.db
        .select()
        .from(outboxEvents)
        .where(eq(outboxEvents.type, 'user.suspended'));
      expect(events.filter((e) => (e.payload as { userId: string }).userId === user.userId)).toHaveLength(1);

      for (const refreshToken of [user.session.refreshToken, second.body.refreshToken]) {
        const refreshed = await t.call('POST', '/api/v1/auth/refresh', { body: { refreshToken } });
        expect(refreshed.status).toBe(403);
        expect(refreshed.body.error.message).toMatch(/suspended/);
      }
      const login = await t.call('POST', '/api/v1/auth/login', {
        body: { email: user.email, password: user.password },
      });
      expect(login.status).toBe(403);
      expect(login.body.error.message).toMatch(/suspended/);
      // A wrong password still says only that: the suspension is no oracle for guessers.
      const wrong = await t.call('POST', '/api/v1/auth/login', {
        body: { email: user.email, password: 'wrong password!' },
      });
      expect(wrong.status).toBe(401);
      // The access JWT still verifies for up to 15 minutes, but writes with it are refused.
      const write = await t.call('PATCH', `/api/v1/videos/${videos[0]}`, {
        token: user.token,
        body: { title: 'x' },
      });
      expect(write.status).toBe(403);
      expect(write.body.error.message).toMatch(/suspended/);

      // The edge: the policy says the owner is suspended, and each video gets a revocation epoch.
      await settle();
      for (const id of videos) {
        const policy = await (
          await t.app.request(`/internal/v1/videos/${id}/access`, { headers: internal })
        ).json();
        expect(policy).toMatchObject({ ownerSuspended: true, revocation: expect.any(Number) });
        expect(policy.revocation).toBeGreaterThan(0);
      }
      const feed = await (
        await t.app.request('/internal/v1/revocations?after=0', { headers: internal })
      ).json();
      const mine = feed.revocations.filter((r: { videoId: string }) => videos.includes(r.videoId));
      expect(mine.map((r: { reason: string }) => r.reason)).toEqual(['user.suspended', 'user.suspended']);

      // Lifting it: sign-in works again, the policy no longer refuses, old sessions stay ended.
      const lifted = await suspend(user.userId, admin.token, 'unsuspend');
      expect(lifted.body).toEqual({ userId: user.userId, suspendedAt: null });
      const again = await t.call('POST', '/api/v1/auth/login', {
        body: { email: user.email, password: user.password },
      });
      expect(again.status).toBe(200);
      const old = await t.call('POST', '/api/v1/auth/refresh', {
        body: { refreshToken: second.body.refreshToken },
      });
      expect(old.status).toBe(401);
      const policy = await (
        await t.app.request(`/internal/v1/videos/${videos[0]}/access`, { headers: internal })
      ).json();
      expect(policy.ownerSuspended).toBe(false);
      const types = (await t.database.db.select().from(outboxEvents)).map((e) => e.type);
      expect(types).toContain('user.unsuspended');
    });
  });
}
