import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationFollowers, federationInbound } from '../../db/schema/index.js';
import { mediaUrlForViewers } from '../../origin/src/services/federation/media-proxy.js';
import { createTestApp } from '../../origin/test/harness.js';
import { MEDIA_PROXY_PATH, verifiedMediaUrl } from '../../protocol/federation/media-proxy.js';

const SECRET = 'origin-media-proxy-secret-0123456789';
let t: Awaited<ReturnType<typeof createTestApp>>;
const follower = `f-${randomUUID().slice(0, 8)}.example`;
const sender = `s-${randomUUID().slice(0, 8)}.example`;
const gone = `g-${randomUUID().slice(0, 8)}.example`;

beforeAll(async () => {
  t = await createTestApp('postgres');
  const db = t.database.db;
  await db.insert(federationFollowers).values([
    {
      localActor: 'instance',
      followerId: `https://${follower}/accounts/a`,
      inbox: `https://${follower}/inbox`,
    },
    {
      localActor: 'instance',
      followerId: `https://${gone}/accounts/b`,
      inbox: `https://${gone}/inbox`,
      goneAt: new Date(),
    },
  ]);
  await db.insert(federationInbound).values({
    activityId: `https://${sender}/activities/${randomUUID()}`,
    type: 'Create',
    actor: `https://${sender}/video-channels/c`,
  });
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const unwrap = async (path: string | undefined) => {
  const [signature, encoded] = (path ?? '').slice(MEDIA_PROXY_PATH.length + 1).split('/');
  return verifiedMediaUrl(SECRET, signature ?? '', encoded ?? '');
};

describe('media URLs the origin hands viewers', () => {
  it("sign the media of known peers (followers, senders) for the edge's proxy", async () => {
    for (const host of [follower, sender]) {
      const url = `https://${host}/lazy-static/thumbnails/x.jpg`;
      const path = await mediaUrlForViewers(t.database.db, SECRET, url);
      expect(path?.startsWith(`${MEDIA_PROXY_PATH}/`)).toBe(true);
      expect(await unwrap(path)).toBe(url);
    }
  });

  it('give nothing for hosts that are no peer of ours (or gone), and the plain URL with the proxy off', async () => {
    for (const url of [
      `https://${gone}/a.jpg`,
      'https://stranger.example/a.jpg',
      'javascript:alert(1)',
      'nope',
    ]) {
      expect(await mediaUrlForViewers(t.database.db, SECRET, url), url).toBeUndefined();
    }
    expect(await mediaUrlForViewers(t.database.db, undefined, 'https://stranger.example/a.jpg')).toBe(
      'https://stranger.example/a.jpg',
    );
  });
});
