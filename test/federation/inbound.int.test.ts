import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { signRequest } from '@fedify/fedify';
import { Temporal } from '@js-temporal/polyfill';
import {
  parseRequestSignature,
  verifyDigestHeader,
  verifyDraftSignature,
} from '@misskey-dev/node-http-message-signatures';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, federationFollowers, federationInbound, videos } from '../../db/schema/index.js';
import { PeerTubeActorSchema, PeerTubeVideoSchema } from '../../protocol/activitypub/peertube-rules.js';
import { startFakePeer, startFederatedOrigin } from './support.js';

// biome-ignore lint/suspicious/noExplicitAny: the library ships no types
const peertubeSignature: any = createRequire(import.meta.url)('@peertube/http-signature');

let origin: Awaited<ReturnType<typeof startFederatedOrigin>>;
let peer: Awaited<ReturnType<typeof startFakePeer>>;
let channelUrl: string;
let handle: string;
const AP = { accept: 'application/activity+json' };

beforeAll(async () => {
  origin = await startFederatedOrigin();
  peer = await startFakePeer(['mallory', 'eve']);
  const owner = await origin.signUp('fed');
  handle = `harbour_${randomUUID().slice(0, 6)}`;
  const created = await origin.call('POST', '/api/v1/channels', {
    token: owner.token,
    body: { handle, displayName: 'Harbour' },
  });
  expect(created.status).toBe(201);
  channelUrl = `${origin.publicUrl}/video-channels/${handle}`;
}, 60_000);

afterAll(async () => {
  await peer?.stop();
  await origin?.stop();
});

/** A Follow of our channel from `name`, signed as `signer` would (defaults: the same actor). */
async function postFollow(
  name: string,
  options: {
    signer?: string;
    keyOf?: string;
    tamper?: boolean;
    at?: Temporal.Instant;
    id?: string;
    unsigned?: boolean;
  } = {},
) {
  const id = options.id ?? `${peer.actorId(name)}/follows/${randomUUID()}`;
  const body = JSON.stringify({
    '@context': 'https://www.w3.org/ns/activitystreams',
    id,
    type: 'Follow',
    actor: peer.actorId(name),
    object: channelUrl,
  });
  let request = new Request(`${origin.publicUrl}/inbox`, {
    method: 'POST',
    headers: { 'content-type': 'application/activity+json' },
    body,
  });
  if (!options.unsigned) {
    const key = peer.keys[options.keyOf ?? options.signer ?? name]?.cryptoKey as CryptoKey;
    request = await signRequest(request, key, new URL(peer.keyId(options.signer ?? name)), {
      spec: 'draft-cavage-http-signatures-12',
      ...(options.at ? { currentTime: options.at } : {}),
    });
  }
  if (options.tamper) {
    request = new Request(request.url, {
      method: 'POST',
      headers: request.headers,
      body: body.replace('Follow', 'Follow '),
    });
  }
  const response = await fetch(request);
  return { id, status: response.status };
}

describe('actors, WebFinger and NodeInfo', () => {
  it('serve the channel as a Group PeerTube accepts, found by acct: and by URL', async () => {
    const host = new URL(origin.publicUrl).host;
    const finger = await fetch(`${origin.publicUrl}/.well-known/webfinger?resource=acct:${handle}@${host}`);
    expect(finger.status).toBe(200);
    const jrd = await finger.json();
    expect(jrd.links).toContainEqual(
      expect.objectContaining({ rel: 'self', type: 'application/activity+json', href: channelUrl }),
    );
    const group = await (await fetch(channelUrl, { headers: AP })).json();
    expect(group.type).toBe('Group');
    expect(PeerTubeActorSchema.safeParse(group).error?.issues).toBeUndefined();
    expect(group.assertionMethod?.[0]?.type ?? group.assertionMethod?.type).toBe('Multikey');
    const person = await (await fetch(group.attributedTo, { headers: AP })).json();
    expect(person.type).toBe('Person');
    expect(PeerTubeActorSchema.safeParse(person).error?.issues).toBeUndefined();
  });

  it('publish NodeInfo 2.0 and the instance Application actor', async () => {
    const links = await (await fetch(`${origin.publicUrl}/.well-known/nodeinfo`)).json();
    const app = links.links.find((l: { rel: string }) => l.rel.endsWith('#Application'));
    const instance = await (await fetch(app.href, { headers: AP })).json();
    expect(instance.type).toBe('Application');
    expect(PeerTubeActorSchema.safeParse(instance).error?.issues).toBeUndefined();
    const info = await (await fetch(`${origin.publicUrl}/nodeinfo/2.0`)).json();
    expect(info).toMatchObject({ version: '2.0', protocols: ['activitypub'], software: { name: 'vidra' } });
  });

  it('serve a public video at its PeerTube-style id, as a Video PeerTube accepts, and no private one', async () => {
    const [channel] = await origin.database.db.select().from(channels).where(eq(channels.handle, handle));
    const [video] = await origin.database.db
      .insert(videos)
      .values({ channelId: channel?.id as string, title: 'Tide tables', state: 'ready', durationSeconds: 93 })
      .returning();
    const url = `${origin.publicUrl}/videos/watch/${video?.id}`;
    const object = await (await fetch(url, { headers: AP })).json();
    expect(PeerTubeVideoSchema.safeParse(object).error?.issues).toBeUndefined();
    expect(object).toMatchObject({ id: url, uuid: video?.id, duration: 'PT93S' });
    await origin.database.db
      .update(videos)
      .set({ privacy: 'private' })
      .where(eq(videos.id, video?.id as string));
    expect((await fetch(url, { headers: AP })).status).toBe(404);
  });

  it('leave HTML requests on the same paths to the rest of the app', async () => {
    const res = await fetch(channelUrl, { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type') ?? '').not.toContain('activity+json');
  });
});

describe('inbound verification', () => {
  it('accepts a signed Follow once, answers with a signed Accept, and refuses every forgery', async () => {
    const good = await postFollow('mallory');
    expect(good.status).toBe(202);
    const refused = [
      await postFollow('mallory', { unsigned: true }),
      await postFollow('mallory', { tamper: true }), // Digest no longer matches the body
      await postFollow('mallory', { keyOf: 'eve' }), // mallory's keyId, eve's private key
      await postFollow('mallory', { at: Temporal.Now.instant().subtract({ hours: 2 }) }), // skewed Date
      await postFollow('mallory', { signer: 'eve' }), // a valid key, but not the actor's
    ];
    for (const r of refused) expect(r.status, JSON.stringify(r)).toBeGreaterThanOrEqual(400);
    const replay = await postFollow('mallory', { id: good.id });
    expect(replay.status).toBeLessThan(300);

    // Inbox activities are processed from the queue: wait for the good one, then nothing else may be there.
    const logged = () =>
      origin.database.db
        .select()
        .from(federationInbound)
        .where(inArray(federationInbound.activityId, [good.id, ...refused.map((r) => r.id)]));
    await expect.poll(async () => (await logged()).length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => peer.received.length, { timeout: 10_000 }).toBe(1);
    expect((await logged()).map((row) => row.activityId)).toEqual([good.id]); // 0 forgeries accepted, the replay once

    const followers = await origin.database.db
      .select()
      .from(federationFollowers)
      .where(eq(federationFollowers.followerId, peer.actorId('mallory')));
    expect(followers).toHaveLength(1);

    await expect.poll(() => peer.received.length, { timeout: 10_000 }).toBe(1);
    const accept = JSON.parse(peer.received[0]?.body ?? '{}');
    expect(accept).toMatchObject({ type: 'Accept', actor: channelUrl });
    expect(accept.object.id ?? accept.object).toBe(good.id);
    expect(peer.received[0]?.headers.signature).toMatch(/keyId="[^"]+"/);
  }, 30_000);
});

describe('our outgoing signatures', () => {
  it("verify with PeerTube's library (@peertube/http-signature) and with Misskey's", async () => {
    const delivered = peer.received[0];
    expect(delivered).toBeDefined();
    const group = await (await fetch(channelUrl, { headers: AP })).json();
    const pem: string = group.publicKey.publicKeyPem;
    const request = {
      method: 'POST',
      url: delivered?.path ?? '',
      headers: delivered?.headers ?? {},
      httpVersion: '1.1',
    };

    const parsed = peertubeSignature.parseRequest(request, { clockSkew: 300 });
    expect(parsed.keyId).toBe(group.publicKey.id);
    expect(peertubeSignature.verifySignature(parsed, pem)).toBe(true);

    const misskey = parseRequestSignature(request as never);
    expect(misskey.version).toBe('draft');
    expect(await verifyDraftSignature(misskey.value as never, pem)).toBe(true);
    expect(await verifyDigestHeader(request as never, delivered?.body ?? '', true)).toBe(true);
    // The same verifiers refuse the body once changed.
    expect(await verifyDigestHeader(request as never, `${delivered?.body} `, true)).toBe(false);
  });
});
