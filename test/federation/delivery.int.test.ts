import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationDeliveries, federationFollowers } from '../../db/schema/index.js';
import { channelIdentifier, channelKey } from '../../origin/src/services/federation/actors.js';
import { queueToFollowers } from '../../origin/src/services/federation/deliver.js';
import { startFederatedOrigin } from './support.js';

let origin: Awaited<ReturnType<typeof startFederatedOrigin>>;
const hits = new Map<string, number>();
const sink = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const path = req.url ?? '';
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    if (path === '/flaky/inbox' && n === 1) return void res.writeHead(503).end();
    if (path === '/gone/inbox') return void res.writeHead(410).end();
    res.writeHead(202).end();
  });
});
let sinkBase: string;
let sender: { key: string; identifier: string };

beforeAll(async () => {
  origin = await startFederatedOrigin();
  origin.deliveries.setRetryPolicy({ baseMs: 50, maxMs: 200, maxAttempts: 16, jitter: 0.2 });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  sinkBase = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  const owner = await origin.signUp('dl');
  const handle = `relay_${randomUUID().slice(0, 6)}`;
  const channel = await origin.call('POST', '/api/v1/channels', {
    token: owner.token,
    body: { handle, displayName: 'Relay' },
  });
  sender = { key: channelKey(channel.body.id), identifier: channelIdentifier(handle) };
  const follower = (name: string, sharedInbox?: string) => ({
    localActor: sender.key,
    followerId: `${sinkBase}/users/${name}`,
    inbox: `${sinkBase}/${name}/inbox`,
    sharedInbox: sharedInbox ?? null,
  });
  await origin.database.db.insert(federationFollowers).values([
    follower('ok'),
    follower('flaky'),
    follower('gone'),
    // Two followers behind one shared inbox get one delivery.
    follower('alice', `${sinkBase}/shared/inbox`),
    follower('bob', `${sinkBase}/shared/inbox`),
  ]);
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve) => sink.close(() => resolve()));
  await origin?.stop();
});

const activity = () => ({
  '@context': 'https://www.w3.org/ns/activitystreams',
  id: `${origin.publicUrl}/activities/${randomUUID()}`,
  type: 'Create',
  actor: `${origin.publicUrl}/${sender.identifier}`,
  object: { type: 'Note', id: `${origin.publicUrl}/notes/${randomUUID()}`, content: 'hi' },
});

describe('delivery', () => {
  it('prefers shared inboxes, retries a 503, marks a 410 follower gone, and never sends to it again', async () => {
    const first = activity();
    expect(await queueToFollowers(origin.database.db, sender, first)).toBe(4);
    const states = async () =>
      Object.fromEntries(
        (
          await origin.database.db
            .select()
            .from(federationDeliveries)
            .where(eq(federationDeliveries.activityId, first.id))
        ).map((row) => [new URL(row.inbox).pathname, `${row.state}/${row.attempts}`]),
      );
    await expect.poll(states, { timeout: 10_000, interval: 50 }).toEqual({
      '/ok/inbox': 'delivered/1',
      '/flaky/inbox': 'delivered/2',
      '/gone/inbox': 'gone/1',
      '/shared/inbox': 'delivered/1',
    });
    const [gone] = await origin.database.db
      .select()
      .from(federationFollowers)
      .where(eq(federationFollowers.followerId, `${sinkBase}/users/gone`));
    expect(gone?.goneAt).toBeInstanceOf(Date);
    expect(hits.get('/gone/inbox')).toBe(1);

    // Queued twice (a redelivered outbox event): still one delivery per inbox.
    const second = activity();
    expect(await queueToFollowers(origin.database.db, sender, second)).toBe(3);
    await queueToFollowers(origin.database.db, sender, second);
    await expect
      .poll(
        async () =>
          (
            await origin.database.db
              .select()
              .from(federationDeliveries)
              .where(eq(federationDeliveries.activityId, second.id))
          ).filter((r) => r.state === 'delivered').length,
        { timeout: 10_000 },
      )
      .toBe(3);
    expect(hits.get('/gone/inbox')).toBe(1);
    expect(hits.get('/shared/inbox')).toBe(2);
  }, 30_000);

  it('opens the breaker of a host that keeps failing, leaving other hosts alone', async () => {
    const dead = `http://127.0.0.1:9/dead/inbox`; // the discard port: nothing listens
    await origin.database.db
      .insert(federationFollowers)
      .values({ localActor: sender.key, followerId: `${sinkBase}/users/dead`, inbox: dead });
    await queueToFollowers(origin.database.db, sender, activity());
    await expect
      .poll(() => origin.deliveries.stats().breakers['127.0.0.1:9']?.open, { timeout: 10_000 })
      .toBe(true);
    const third = activity();
    await queueToFollowers(origin.database.db, sender, third);
    await expect
      .poll(
        async () =>
          (
            await origin.database.db
              .select()
              .from(federationDeliveries)
              .where(eq(federationDeliveries.activityId, third.id))
          )
            .map((r) => r.state)
            .sort(),
        { timeout: 10_000 },
      )
      .toEqual(['delivered', 'delivered', 'delivered', 'pending']);
    expect(origin.deliveries.stats().breakers['127.0.0.1:9']?.open).toBe(true);
    expect(origin.deliveries.stats().peakInFlight).toBeLessThanOrEqual(32);

    // Admins see it per host; others are refused.
    const admin = await origin.signUpAdmin();
    const health = await origin.call('GET', '/api/v1/admin/federation', { token: admin.token });
    expect(health.status).toBe(200);
    const deadHost = health.body.hosts.find((h: { host: string }) => h.host === '127.0.0.1:9');
    expect(deadHost).toMatchObject({ status: 'failing', pending: 2, delivered: 0 });
    expect(deadHost.retrying).toBeGreaterThanOrEqual(1);
    expect(Date.parse(deadHost.oldestPendingAt)).toBeLessThanOrEqual(Date.now());
    expect(deadHost.lastError).toBeTruthy();
    const sinkHost = health.body.hosts.find((h: { host: string }) => h.host === new URL(sinkBase).host);
    expect(sinkHost).toMatchObject({ status: 'ok', pending: 0, gone: 1, oldestPendingAt: null });
    const user = await origin.signUp('nosy');
    expect((await origin.call('GET', '/api/v1/admin/federation', { token: user.token })).status).toBe(403);
  }, 30_000);
});
